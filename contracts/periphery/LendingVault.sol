// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ILendingVault} from "../interfaces/ILendingVault.sol";
import {ILendingCore} from "../interfaces/ILendingCore.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";

/// @title LendingVault: ERC-4626 for outside lenders of one asset, over a core's pool
/// @notice See ILendingVault. Holds no tokens between calls: a deposit passes through to the core in
/// the same call, and the core pays withdrawals to the receiver.
contract LendingVault is ILendingVault, ERC4626, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    ILendingCore internal immutable CORE;

    /// @param asset_ The asset (its decimals + 6 are the shares' decimals, as the pool's supply shares).
    /// @param core_ The core holding the asset's pool; it must register this vault for the asset.
    constructor(IERC20Metadata asset_, string memory name_, string memory symbol_, ILendingCore core_)
        ERC20(name_, symbol_)
        ERC4626(asset_)
    {
        require(address(core_) != address(0), ZeroAddress());
        CORE = core_;
        // the core pulls each deposit from here
        IERC20(address(asset_)).forceApprove(address(core_), type(uint256).max);
    }

    /// @inheritdoc ILendingVault
    function core() external view returns (address) {
        return address(CORE);
    }

    // ------------------------------------------------------------------ entries

    /// @inheritdoc IERC4626
    function deposit(uint256 assets, address receiver)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), assets);
        shares = CORE.supplyFromVault(asset(), assets); // rounded down (the pool's side); caps, delivery
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    function mint(uint256 shares, address receiver)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        assets = previewMint(shares); // rounded up (the pool's side), as the core prices it now
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), assets);
        // the core pulls what it prices, in the same state: exactly `assets` (else its pull reverts)
        CORE.mintFromVault(asset(), shares);
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    /// @dev The owner's shares (and the caller's allowance) are checked and burnt before the core pays.
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        shares = previewWithdraw(assets); // rounded up (the pool's side)
        uint256 held = balanceOf(owner);
        if (shares > held) revert ERC4626ExceededMaxWithdraw(owner, assets, _convertToAssets(held, Math.Rounding.Floor));
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        _burn(owner, shares);
        uint256 burnt = CORE.withdrawToVault(asset(), assets, receiver); // Frozen, InsufficientCash
        // same state, same formula (SharesMathLib.toSharesUp): equal by construction
        assert(burnt == shares);
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
    }

    /// @inheritdoc IERC4626
    /// @dev As withdraw: the owner's shares first.
    function redeem(uint256 shares, address receiver, address owner)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        uint256 held = balanceOf(owner);
        require(shares <= held, ERC4626ExceededMaxRedeem(owner, shares, held));
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        _burn(owner, shares);
        assets = CORE.redeemToVault(asset(), shares, receiver); // rounded down; Frozen, InsufficientCash
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
    }

    // ------------------------------------------------------------------ views (the core's pool, accrued)

    /// @notice What the outside lenders' supply shares are worth, rounded down.
    function totalAssets() public view override(IERC4626, ERC4626) returns (uint256) {
        (uint256 supplyAssets, uint256 supplyShares, uint256 outside,,,) = CORE.lendingSupplyOf(asset());
        return SharesMathLib.toAssetsDown(outside, supplyAssets, supplyShares);
    }

    /// @notice The pool's maxSupply: room under the supply cap, what cash and the share supply can hold.
    function maxDeposit(address) public view override(IERC4626, ERC4626) returns (uint256) {
        (,,,, uint256 maxSupply,) = CORE.lendingSupplyOf(asset());
        return maxSupply;
    }

    /// @notice Shares the pool's maxSupply buys (rounded down, as a deposit would).
    function maxMint(address) public view override(IERC4626, ERC4626) returns (uint256) {
        (uint256 supplyAssets, uint256 supplyShares,,, uint256 maxSupply,) = CORE.lendingSupplyOf(asset());
        return SharesMathLib.toSharesDown(maxSupply, supplyAssets, supplyShares);
    }

    /// @notice The owner's assets, but no more than the pool's cash; 0 while the pool is frozen.
    function maxWithdraw(address owner) public view override(IERC4626, ERC4626) returns (uint256) {
        (uint256 supplyAssets, uint256 supplyShares,, uint256 cash,, bool frozen) = CORE.lendingSupplyOf(asset());
        if (frozen) return 0;
        return Math.min(SharesMathLib.toAssetsDown(balanceOf(owner), supplyAssets, supplyShares), cash);
    }

    /// @notice The owner's shares, but no more than redeem for at most the pool's cash; 0 while frozen.
    function maxRedeem(address owner) public view override(IERC4626, ERC4626) returns (uint256) {
        (uint256 supplyAssets, uint256 supplyShares,, uint256 cash,, bool frozen) = CORE.lendingSupplyOf(asset());
        if (frozen) return 0;
        // the largest n with ⌊n·(supplyAssets+1)/(supply+10^6)⌋ ≤ cash
        uint256 byCash = SharesMathLib.toSharesUp(cash + 1, supplyAssets, supplyShares) - 1;
        return Math.min(balanceOf(owner), byCash);
    }

    /// @dev The pool's conversion (SharesMathLib) against the pool's totals, not this vault's.
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        (uint256 supplyAssets, uint256 supplyShares,,,,) = CORE.lendingSupplyOf(asset());
        return rounding == Math.Rounding.Ceil
            ? SharesMathLib.toSharesUp(assets, supplyAssets, supplyShares)
            : SharesMathLib.toSharesDown(assets, supplyAssets, supplyShares);
    }

    /// @dev As _convertToShares.
    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        (uint256 supplyAssets, uint256 supplyShares,,,,) = CORE.lendingSupplyOf(asset());
        return rounding == Math.Rounding.Ceil
            ? SharesMathLib.toAssetsUp(shares, supplyAssets, supplyShares)
            : SharesMathLib.toAssetsDown(shares, supplyAssets, supplyShares);
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }
}
