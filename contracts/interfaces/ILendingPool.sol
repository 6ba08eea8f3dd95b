// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ILending, RateModel} from "./ILending.sol";

/// @title LendingPool: one ERC-4626 lending pool per asset
/// @notice Outside lenders and the Clearinghouse (custodian of the margin accounts' lent
/// balances) hold ERC-4626 shares; only the Clearinghouse borrows, repays and writes off bad
/// debt, keeping each account's borrow shares itself.
/// Accounting (docs/LENDING.md): cash is tracked internally (a donation never moves the
/// share price); totalAssets = cash + totalBorrows − reserves, so
/// cash + totalBorrows = totalAssets + reserves holds exactly by construction.
/// totalBorrows = totalBorrowShares · borrowIndex / 1e18 (rounded down: lenders are credited
/// only what borrowers surely owe, while each borrower's debt is rounded up).
/// Interest accrues per second on every touch; every view includes interest up to now.
interface ILendingPool is IERC4626, ILending {
    /// @notice The caller is not the Clearinghouse.
    error NotClearinghouse(address caller);
    /// @notice A repayment the pool pulled itself (`repay`, `repayUpTo`).
    event Repaid(address indexed payer, uint256 assets, uint256 shares);
    event ReserveWithdrawn(uint256 assets, address indexed treasury);

    // ---- Clearinghouse only ----
    /// @notice Lends `assets` of cash to `to` and mints borrow shares for them. No event: the
    ///         Clearinghouse, the only borrower, logs it (`IClearinghouse.Borrowed`).
    /// @dev Shares are rounded up (the pool's side). Reverts ZeroAmount, ZeroAddress,
    ///      InsufficientCash(assets, cash), BorrowCapExceeded(totalBorrowsAfter, cap).
    /// @return shares Borrow shares the Clearinghouse must record against the borrower.
    function borrow(uint256 assets, address to) external returns (uint256 shares);
    /// @notice Supplies `assets` the Clearinghouse has already moved into the pool (a margin
    ///         account's lent deposit, sent straight from its owner): mints the shares `deposit`
    ///         would, to the Clearinghouse, and emits ERC-4626 `Deposit`.
    /// @dev Shares rounded down (the pool's side). Reverts TransferShortfall unless the pool's token
    ///      balance covers cash + `assets` (a fee-on-transfer token is refused), ERC4626ExceededMaxDeposit
    ///      past the supply cap, NotClearinghouse for any other caller.
    function supplyReceived(uint256 assets) external returns (uint256 shares);
    /// @notice Repays from `assets` the Clearinghouse has already moved into the pool (a margin
    ///         account's repayment, sent straight from the payer): all of `maxShares` if `assets`
    ///         covers their debt (rounded up), returning the excess `back` to the Clearinghouse;
    ///         else the whole shares `assets` pays for (rounded down), the remainder (less than one
    ///         share's worth) kept as cash for the lenders. No event: the Clearinghouse logs it
    ///         (`IClearinghouse.Repaid`, with the shares).
    /// @dev Reverts ZeroAmount, TransferShortfall unless the pool's token balance covers cash + `assets`,
    ///      InsufficientBorrowShares, NotClearinghouse.
    function repayReceived(uint256 maxShares, uint256 assets) external returns (uint256 shares, uint256 back);

    /// @notice Burns `shares` of debt and pulls their value from the caller (safeTransferFrom).
    /// @dev Assets are rounded up (the pool's side). Reverts ZeroAmount,
    ///      InsufficientBorrowShares(shares, totalBorrowShares), TransferShortfall.
    /// @return assets Amount pulled from the caller.
    function repay(uint256 shares) external returns (uint256 assets);

    /// @notice Repays as much of `maxShares` of debt as `assets` pays for, in one call: all of it
    ///         when `assets` covers its value (then `paid` is that value), otherwise the whole
    ///         shares `assets` pays for (`shares = ⌊assets · 1e18 / index⌋`, maybe 0). Pulls `paid`
    ///         (≤ `assets`) from the caller; what is left of `assets` is not taken.
    /// @dev The Clearinghouse's debtOf + borrowIndexWad + repay in one accrual. Roundings: the
    ///      value of shares is rounded up and the shares burnt down (the pool's side). Reverts
    ///      ZeroAmount, InsufficientBorrowShares, TransferShortfall.
    function repayUpTo(uint256 maxShares, uint256 assets) external returns (uint256 shares, uint256 paid);

    /// @notice Writes off bad debt: burns `shares`; their value (rounded up) is the loss,
    ///         covered by the reserve first; the rest lowers totalAssets (by at most
    ///         lossAssets − fromReserve), so only this pool's lenders bear it.
    /// @dev Reverts ZeroAmount, InsufficientBorrowShares(shares, totalBorrowShares).
    function writeOff(uint256 shares) external returns (uint256 lossAssets, uint256 fromReserve);

    // ---- anyone ----
    /// @notice Takes `assets` out of the caller's `maxShares` shares, or all of those shares when
    ///         they are worth no more than `assets`; sends `paid` to `receiver` (the Clearinghouse
    ///         names a withdrawal's receiver, so the tokens move once).
    /// @dev previewRedeem + withdraw-or-redeem in one accrual (what the Clearinghouse does for a
    ///      lent balance). Withdraw rounds the shares burnt up, redeem rounds the assets paid
    ///      down (the pool's side, as ERC-4626). Reverts ZeroAmount, InsufficientCash,
    ///      ERC4626ExceededMaxRedeem (more shares than the caller holds).
    function withdrawUpTo(uint256 maxShares, uint256 assets, address receiver)
        external
        returns (uint256 shares, uint256 paid);


    /// @notice Accrues interest up to now. Every state-changing function does this first.
    function accrueInterest() external;

    // ---- governance (through the AccessManager) ----
    /// @notice Replaces the rate model after accruing interest at the old one.
    /// @dev Reverts RateTooHigh or InvalidKink outside the hard bounds.
    function setRateModel(RateModel calldata model) external;

    /// @notice Sets the share of interest that goes to the reserve, after accruing at the old one.
    /// @dev Reverts ReserveFactorTooHigh above MAX_RESERVE_FACTOR_BPS.
    function setReserveFactor(uint16 reserveFactorBps) external;

    /// @notice Sets the supply cap (on totalAssets) and the borrow cap (on totalBorrows).
    /// @dev A cap at or above 2^112 − 1 (what cash can ever hold) is stored as 2^112 − 1,
    ///      meaning no cap. Lowering a cap below the current total only blocks growth.
    function setCaps(uint256 supplyCapAssets, uint256 borrowCapAssets) external;

    /// @notice Sends `assets` of the reserve to `treasury`.
    /// @dev Reverts ZeroAmount, ZeroAddress, InsufficientReserves, InsufficientCash.
    function withdrawReserve(uint256 assets, address treasury) external;

    // ---- views (all include interest accrued up to now) ----
    /// @notice The only address that may borrow, repay and write off.
    function clearinghouse() external view returns (address);
    /// @notice Whether the venue is frozen: outside lenders' `withdraw` and `redeem` revert Frozen
    ///         (and `maxWithdraw` / `maxRedeem` say 0) until governance lifts the freeze.
    function frozen() external view returns (bool);
    /// @notice Set by the Clearinghouse as it freezes and unfreezes the venue.
    function setFrozen(bool frozen_) external;
    /// @notice Assets held by the pool for lenders and the reserve (excludes donations).
    function cash() external view returns (uint256);
    /// @notice Assets owed by borrowers, rounded down.
    function totalBorrows() external view returns (uint256);
    /// @notice Borrow shares outstanding (the Clearinghouse keeps each account's part).
    function totalBorrowShares() external view returns (uint256);
    /// @notice Borrow index in WAD: starts at 1e18 and never decreases.
    function borrowIndexWad() external view returns (uint256);
    /// @notice The protocol's reserve (a claim on cash and borrows, not on the lenders' assets).
    function reserves() external view returns (uint256);
    /// @notice Timestamp of the last accrual.
    function lastAccrualTimestamp() external view returns (uint256);
    /// @notice borrows / (cash + borrows − reserves) in WAD, rounded up, at most 1e18;
    ///         0 when the denominator is 0.
    function utilizationWad() external view returns (uint256);
    /// @notice Current borrow rate per second in WAD (rounded up: the pool's side).
    function borrowRatePerSecondWad() external view returns (uint256);
    /// @notice Current supply rate per second in WAD: borrowRate · u · (1 − reserveFactor),
    ///         rounded down (never overstates what lenders earn).
    function supplyRatePerSecondWad() external view returns (uint256);
    /// @notice Debt of `shares` borrow shares in assets, rounded up (the pool's side).
    function debtOf(uint256 shares) external view returns (uint256 assets);
    /// @notice For what-if views: the borrow rate once `extraAssets` more are borrowed, and how much
    ///         can be borrowed at all now (cash and the borrow cap).
    function borrowQuote(uint256 extraAssets) external view returns (uint256 ratePerSecondWad, uint256 borrowable);
    /// @notice `borrowQuote` once `redeemedAssets` have left the cash first (a margin account's lent
    ///         balance, redeemed before it borrows): the rate once `extraAssets` more are then
    ///         borrowed, and how much can then be borrowed at all (the cash left and the borrow cap).
    function borrowQuoteAfterRedeem(uint256 redeemedAssets, uint256 extraAssets)
        external
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable);
    /// @notice `debtOf(shares)` and `borrowRatePerSecondWad()` from one accrual: what Atlas reads per debt.
    function debtAndRateOf(uint256 shares) external view returns (uint256 assets, uint256 ratePerSecondWad);
    /// @notice Borrow shares a debt of `assets` takes, rounded up (the pool's side).
    function sharesForDebt(uint256 assets) external view returns (uint256 shares);
    /// @notice The current rate model.
    function rateModel() external view returns (RateModel memory);
    /// @notice Supply cap (on totalAssets) and borrow cap (on totalBorrows); NO_CAP means none.
    function caps() external view returns (uint256 supplyCapAssets, uint256 borrowCapAssets);
    /// @notice Share of interest that goes to the reserve, in basis points.
    function reserveFactorBps() external view returns (uint16);
}
