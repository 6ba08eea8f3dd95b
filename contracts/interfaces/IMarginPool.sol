// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice The part of a LendingPool the Clearinghouse uses as custodian of margin accounts:
/// ERC-4626 deposits and redemptions for lent balances, borrowing and repaying for negative
/// balances, and write-offs of bad debt. Full documentation lives in ILendingPool.
interface IMarginPool {
    function asset() external view returns (address);
    function deposit(uint256 assets, address receiver) external returns (uint256 shares);
    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);
    function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares);
    function previewRedeem(uint256 shares) external view returns (uint256 assets);
    function convertToAssets(uint256 shares) external view returns (uint256 assets);
    function borrow(uint256 assets, address to) external returns (uint256 shares);
    function supplyReceived(uint256 assets) external returns (uint256 shares);
    function repayReceived(uint256 maxShares, uint256 assets) external returns (uint256 shares, uint256 back);
    function repay(uint256 shares) external returns (uint256 assets);
    function writeOff(uint256 shares) external returns (uint256 lossAssets, uint256 fromReserve);
    function debtOf(uint256 shares) external view returns (uint256 assets);
    function borrowQuote(uint256 extraAssets) external view returns (uint256 ratePerSecondWad, uint256 borrowable);
    function borrowQuoteAfterRedeem(uint256 redeemedAssets, uint256 extraAssets)
        external
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable);
    function debtAndRateOf(uint256 shares) external view returns (uint256 assets, uint256 ratePerSecondWad);
    function borrowIndexWad() external view returns (uint256);
    function repayUpTo(uint256 maxShares, uint256 assets) external returns (uint256 shares, uint256 paid);
    function withdrawUpTo(uint256 maxShares, uint256 assets, address receiver)
        external
        returns (uint256 shares, uint256 paid);
    function borrowRatePerSecondWad() external view returns (uint256);
    function setFrozen(bool frozen) external;
}
