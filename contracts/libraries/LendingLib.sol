// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ILending, RateModel} from "../interfaces/ILending.sol";
import {RateModelLib} from "./RateModelLib.sol";
import {SharesMathLib} from "./SharesMathLib.sol";
import {MathLib} from "./MathLib.sol";

/// @title LendingLib: one asset's lending pool, as a `State` its holder keeps in storage
/// @notice The accounting of a pool (docs/LENDING.md), whoever holds it: cash is counted, not read
/// from a token balance (a donation never moves the share price); borrows are borrow shares times an
/// index that grows by utilisation (RateModelLib); lenders hold supply shares of
/// supplyAssets = cash + totalBorrows − reserves. Nothing here moves a token or knows a holder: the
/// holder of the state keeps who owns which shares, moves the tokens, and checks a delivery.
/// Invariants (test/unit/lending.random.test.ts and test/unit/lending.lib.test.ts check them):
/// - L1 cash + totalBorrows = supplyAssets + reserves, exactly (supplyAssets is defined so);
/// - L2 reserves ≤ cash + totalBorrows (supplyAssets never negative);
/// - L4 the borrow index never decreases;
/// - L5 the supply share price never decreases, except at a write-off.
/// (L3, the holder's token balance ≥ cash, is the holder's to keep.)
/// Use: `Snapshot memory s = state.accrued();` (interest up to now, in memory), one or more
/// operations on `s`, then `state.write(token, s)`. Every rounding is named in SharesMathLib and favours
/// the pool (its lenders and reserve) over the account acting. Every function that logs takes the
/// pool's asset (`token`), the first, indexed field of each of its events, so an indexer can tell the
/// pools of one holder apart (the holder knows the token; the state does not store it).
library LendingLib {
    using SafeCast for uint256;
    using RateModelLib for RateModel;

    uint256 internal constant BPS = 10_000;
    /// @notice Hard bound on the reserve factor: at most half of the interest goes to the reserve.
    uint16 internal constant MAX_RESERVE_FACTOR_BPS = 5000;
    /// @notice A cap this large means no cap: cash (uint112) can never exceed it.
    uint256 internal constant NO_CAP = type(uint112).max;
    /// @notice Supply shares stop at 2^128 − 1 (a deposit that would pass it is refused).
    uint256 internal constant MAX_SUPPLY_SHARES = type(uint128).max;

    // One pool in five slots. Everything an accrual reads is in `balances` and `ledger` (plus `model`
    // when interest runs), so a repay or borrow touches three slots (borrow adds `limits`); a supply or
    // withdrawal adds `supplyShares` (slot 4). Each operation writes `balances` once and `ledger` only when
    // interest moved it. Fields from the least significant bit up:
    //   slot 0 balances     | cashAssets 112 | borrowShares 112 | lastAccrual 32 |
    //   slot 1 ledger       | borrowIndexWad 128 | reserveAssets 112 | reserveFactorBps 16 |
    //   slot 2 model        | base 64 | slope1 64 | slope2 64 | kink 64 |        (RateModel)
    //   slot 3 limits       | supplyCapAssets 112 | borrowCapAssets 112 | frozen 8 | (24 free) |
    //   slot 4 supply       | supplyShares 128 | outsideShares 128 |
    // uint32 seconds last until 2106; uint112 atoms hold 5e15 whole 18-decimal tokens.
    // borrowShares < 2^112: a borrow keeps shares · index / 1e18 ≤ borrowCap ≤ 2^112 − 1 with
    // index ≥ 1e18 (and repay and write-off only lower it).
    struct Balances {
        uint112 cashAssets;
        uint112 borrowShares;
        uint32 lastAccrual;
    }

    struct Ledger {
        uint128 borrowIndexWad;
        uint112 reserveAssets;
        uint16 reserveFactorBps;
    }

    struct Limits {
        uint112 supplyCapAssets;
        uint112 borrowCapAssets;
        bool frozen;
    }

    struct State {
        Balances balances;
        Ledger ledger;
        RateModel model;
        Limits limits;
        /// @dev Every supply share in existence (the total the conversions price against).
        uint128 supplyShares;
        /// @dev The part of `supplyShares` held by outside lenders through the asset's ERC-4626 contract;
        ///      the rest is margin accounts' lent balances. Kept by the holder of the state (LendingLib
        ///      only stores it), beside the supply so a lender's move reads and writes one slot.
        uint128 outsideShares;
    }

    /// @notice The pool's state with interest accrued up to now, in memory; operations edit it and
    ///         `write` stores it.
    struct Snapshot {
        uint256 cash;
        uint256 reserves;
        uint256 indexWad;
        uint256 borrowShares;
        uint256 totalBorrows;
        uint256 reserveFactorBps;
        uint256 interest; // growth of totalBorrows in this accrual
        bool indexMoved; // the accrual moved the index (log InterestAccrued)
        bool ledgerDirty; // `ledger` must be written
    }

    // ------------------------------------------------------------------ set-up and accrual

    /// @notice Starts a pool: index 1e18, accrued now, with its model, reserve factor and caps.
    function init(
        State storage self,
        address token,
        RateModel memory model,
        uint16 reserveFactorBps,
        uint256 supplyCapAssets,
        uint256 borrowCapAssets
    ) internal {
        self.ledger.borrowIndexWad = uint128(SharesMathLib.WAD);
        self.balances.lastAccrual = block.timestamp.toUint32();
        _setRateModel(self, token, model);
        _setReserveFactor(self, token, reserveFactorBps);
        setCaps(self, token, supplyCapAssets, borrowCapAssets);
    }

    /// @notice The pool's state with interest accrued up to now, without writing it: the one formula
    ///         the views and the operations use, so they can never disagree.
    ///         index' = index + ⌈index · rate · dt / 1e18⌉, rate from utilisation at the last accrual;
    ///         interest = totalBorrows' − totalBorrows; reserves += ⌊interest · rf / 1e4⌋.
    function accrued(State storage self) internal view returns (Snapshot memory s) {
        Balances memory m = self.balances;
        Ledger memory ledger = self.ledger;
        s.cash = m.cashAssets;
        s.borrowShares = m.borrowShares;
        s.indexWad = ledger.borrowIndexWad;
        s.reserves = ledger.reserveAssets;
        s.reserveFactorBps = ledger.reserveFactorBps;
        // Rounded down: lenders are credited only what borrowers surely owe.
        s.totalBorrows = SharesMathLib.toDebtAssetsDown(s.borrowShares, s.indexWad);
        uint256 dt = block.timestamp - m.lastAccrual;
        // Nothing owed, nothing grows: the index stays put while no one borrows.
        if (dt == 0 || s.borrowShares == 0) return s;
        uint256 rate = rateOf(self, s);
        uint256 indexAfter = RateModelLib.grow(s.indexWad, rate, dt); // rounded up: the pool's side
        if (indexAfter == s.indexWad) return s;
        uint256 borrowsAfter = SharesMathLib.toDebtAssetsDown(s.borrowShares, indexAfter); // lenders' side
        uint256 interest = borrowsAfter - s.totalBorrows;
        // Rounded down: the reserve takes no more than its factor; the atom stays with lenders.
        // interest < 2^240 (shares < 2^112, index < 2^128), so × 5000 cannot overflow.
        s.reserves += interest * s.reserveFactorBps / BPS;
        s.indexWad = indexAfter;
        s.totalBorrows = borrowsAfter;
        s.interest = interest;
        s.indexMoved = true;
        s.ledgerDirty = true;
    }

    /// @notice Accrues and stores: writes only when the clock moved.
    function accrue(State storage self, address token) internal {
        if (self.balances.lastAccrual != block.timestamp) write(self, token, accrued(self));
    }

    /// @notice Stores `s` as of now: `balances` always (one SSTORE), `ledger` when it changed, and
    ///         logs InterestAccrued (naming `token`, the pool's asset) when the index moved.
    function write(State storage self, address token, Snapshot memory s) internal {
        self.balances = Balances({
            cashAssets: s.cash.toUint112(),
            borrowShares: s.borrowShares.toUint112(),
            lastAccrual: block.timestamp.toUint32()
        });
        if (s.ledgerDirty) {
            uint128 index = s.indexWad.toUint128();
            self.ledger = Ledger({
                borrowIndexWad: index,
                reserveAssets: s.reserves.toUint112(),
                reserveFactorBps: uint16(s.reserveFactorBps) // safe: read from the uint16 field
            });
            if (s.indexMoved) {
                // interest saturates in the event only (2^128 atoms is beyond any real pool)
                emit ILending.InterestAccrued(token, Math.min(s.interest, type(uint128).max) << 128 | index);
            }
        }
    }

    // ------------------------------------------------------------------ lenders

    /// @notice Supplies `assets` (the holder moves or checks the tokens): shares rounded down (the
    ///         pool's side), added to the supply. `ok` is false, and nothing changes, when `assets`
    ///         exceed `maxSupply` (the caps' room, or shares past 2^128 − 1); the holder reverts.
    function supply(State storage self, Snapshot memory s, uint256 assets)
        internal
        returns (uint256 shares, bool ok)
    {
        if (assets <= capRoom(self, s)) {
            uint256 supplyShares = self.supplyShares;
            shares = SharesMathLib.toSharesDown(assets, supplyAssets(s), supplyShares);
            if (shares <= MAX_SUPPLY_SHARES - supplyShares) {
                s.cash += assets; // ≤ NO_CAP: the room keeps cash within uint112
                self.supplyShares = uint128(supplyShares + shares); // safe: checked just above
                return (shares, true);
            }
        }
        return (0, false);
    }

    /// @notice Supplies the assets `shares` cost, rounded up (the pool's side). `ok` is false, and
    ///         nothing changes, when `shares` exceed what `maxSupply` buys.
    function mintShares(State storage self, Snapshot memory s, uint256 shares)
        internal
        returns (uint256 assets, bool ok)
    {
        uint256 total = self.supplyShares;
        uint256 assetsNow = supplyAssets(s);
        // rounded down, as a supply of maxSupply would mint
        if (shares > SharesMathLib.toSharesDown(maxSupply(self, s), assetsNow, total)) return (0, false);
        assets = SharesMathLib.toAssetsUp(shares, assetsNow, total);
        s.cash += assets; // checked to fit uint112 in write
        self.supplyShares = uint128(total + shares); // safe: shares ≤ maxSupply's shares ≤ 2^128 − 1 − total
        return (assets, true);
    }

    /// @notice Takes `assets` of cash out for a lender: shares burnt rounded up (the pool's side).
    ///         The holder checks the lender holds them (before, or the whole call reverts).
    /// @dev Reverts InsufficientCash.
    function withdraw(State storage self, Snapshot memory s, uint256 assets) internal returns (uint256 shares) {
        require(assets <= s.cash, ILending.InsufficientCash(assets, s.cash));
        uint256 total = self.supplyShares;
        shares = SharesMathLib.toSharesUp(assets, supplyAssets(s), total);
        s.cash -= assets;
        self.supplyShares = uint128(total - shares); // checked: reverts if more than the supply
    }

    /// @notice Redeems `shares`: assets paid rounded down (the pool's side). The holder checks the
    ///         lender holds them.
    /// @dev Reverts InsufficientCash.
    function redeem(State storage self, Snapshot memory s, uint256 shares) internal returns (uint256 assets) {
        uint256 total = self.supplyShares;
        assets = SharesMathLib.toAssetsDown(shares, supplyAssets(s), total);
        require(assets <= s.cash, ILending.InsufficientCash(assets, s.cash));
        s.cash -= assets;
        self.supplyShares = uint128(total - shares); // checked: reverts if more than the supply
    }

    /// @notice Takes `assets` out of `maxShares` shares, or all of them when they are worth no more:
    ///         withdraw rounds the shares burnt up, redeem the assets paid down (the pool's side both).
    /// @dev Reverts InsufficientCash.
    function withdrawUpTo(State storage self, Snapshot memory s, uint256 maxShares, uint256 assets)
        internal
        returns (uint256 shares, uint256 paid)
    {
        uint256 total = self.supplyShares;
        uint256 assetsNow = supplyAssets(s);
        paid = SharesMathLib.toAssetsDown(maxShares, assetsNow, total);
        if (paid > assets) (shares, paid) = (SharesMathLib.toSharesUp(assets, assetsNow, total), assets);
        else shares = maxShares;
        require(paid <= s.cash, ILending.InsufficientCash(paid, s.cash));
        s.cash -= paid;
        self.supplyShares = uint128(total - shares); // checked: reverts if more than the supply
    }

    // ------------------------------------------------------------------ borrowers

    /// @notice Lends `assets` of cash: borrow shares rounded up (the pool's side).
    /// @dev Reverts InsufficientCash, BorrowCapExceeded(totalBorrowsAfter, cap).
    function borrow(State storage self, Snapshot memory s, uint256 assets) internal view returns (uint256 shares) {
        require(assets <= s.cash, ILending.InsufficientCash(assets, s.cash));
        shares = SharesMathLib.toDebtSharesUp(assets, s.indexWad);
        uint256 sharesAfter = s.borrowShares + shares;
        // Rounded down, as totalBorrows always is: what lenders are surely owed.
        uint256 totalAfter = SharesMathLib.toDebtAssetsDown(sharesAfter, s.indexWad);
        uint256 cap = self.limits.borrowCapAssets;
        require(totalAfter <= cap, ILending.BorrowCapExceeded(totalAfter, cap));
        s.borrowShares = sharesAfter;
        s.cash -= assets;
    }

    /// @notice Repays `shares` of debt: assets owed rounded up (the payer pays the last fraction of an
    ///         atom: the pool's side), counted into cash.
    /// @dev Reverts InsufficientBorrowShares.
    function repay(Snapshot memory s, uint256 shares) internal pure returns (uint256 assets) {
        require(shares <= s.borrowShares, ILending.InsufficientBorrowShares(shares, s.borrowShares));
        assets = SharesMathLib.toDebtAssetsUp(shares, s.indexWad);
        s.borrowShares -= shares;
        s.cash += assets; // checked to fit uint112 in write
    }

    /// @notice Burns all of `maxShares` if `assets` covers their debt, else the whole shares `assets`
    ///         pays for, and prices them: the whole debt rounded up, partial shares rounded down and
    ///         their value up (the pool's side both). Cash is not touched: the caller counts in what
    ///         it keeps (`paid`, or all it received).
    /// @dev Reverts InsufficientBorrowShares.
    function repayShares(Snapshot memory s, uint256 maxShares, uint256 assets)
        internal
        pure
        returns (uint256 shares, uint256 paid)
    {
        uint256 debt = SharesMathLib.toDebtAssetsUp(maxShares, s.indexWad);
        if (assets >= debt) {
            (shares, paid) = (maxShares, debt);
        } else {
            shares = SharesMathLib.toDebtSharesDown(assets, s.indexWad);
            if (shares != 0) paid = SharesMathLib.toDebtAssetsUp(shares, s.indexWad); // ≤ assets
        }
        require(shares <= s.borrowShares, ILending.InsufficientBorrowShares(shares, s.borrowShares));
        s.borrowShares -= shares;
    }

    /// @notice Writes off bad debt: burns `shares`; their value (rounded up, as a repayment would be)
    ///         is the loss, covered by the reserve first; the rest lowers supplyAssets (by at most
    ///         lossAssets − fromReserve), so only this pool's lenders bear it. Logs BadDebtWrittenOff.
    /// @dev Reverts InsufficientBorrowShares.
    function writeOff(Snapshot memory s, address token, uint256 shares) internal returns (uint256 lossAssets, uint256 fromReserve) {
        require(shares <= s.borrowShares, ILending.InsufficientBorrowShares(shares, s.borrowShares));
        lossAssets = SharesMathLib.toDebtAssetsUp(shares, s.indexWad);
        fromReserve = Math.min(lossAssets, s.reserves);
        // The reserve shrinks by what it covers and totalBorrows by the debt (as lenders counted it,
        // ≤ lossAssets), so supplyAssets falls by at most lossAssets − fromReserve, never below 0 (L2).
        s.borrowShares -= shares;
        s.reserves -= fromReserve;
        s.ledgerDirty = true;
        emit ILending.BadDebtWrittenOff(token, shares, lossAssets, fromReserve);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Takes `assets` of the reserve out of cash (the holder sends them to the treasury):
    ///         reserve and cash fall together, supplyAssets is unchanged.
    /// @dev Reverts InsufficientReserves, InsufficientCash.
    function withdrawReserve(Snapshot memory s, uint256 assets) internal pure {
        require(assets <= s.reserves, ILending.InsufficientReserves(assets, s.reserves));
        require(assets <= s.cash, ILending.InsufficientCash(assets, s.cash));
        s.reserves -= assets;
        s.cash -= assets;
        s.ledgerDirty = true;
    }

    /// @notice Replaces the rate model after accruing interest at the old one.
    /// @dev Reverts RateTooHigh or InvalidKink outside the hard bounds.
    function setRateModel(State storage self, address token, RateModel memory model) internal {
        write(self, token, accrued(self)); // interest up to now is owed at the old rate
        _setRateModel(self, token, model);
    }

    /// @notice Sets the share of interest that goes to the reserve, after accruing at the old one.
    /// @dev Reverts ReserveFactorTooHigh above MAX_RESERVE_FACTOR_BPS.
    function setReserveFactor(State storage self, address token, uint16 reserveFactorBps) internal {
        write(self, token, accrued(self)); // interest up to now is split at the old factor
        _setReserveFactor(self, token, reserveFactorBps);
    }

    /// @notice Sets the supply cap (on supplyAssets) and the borrow cap (on totalBorrows); a cap at or
    ///         above NO_CAP is stored as NO_CAP (no cap). Keeps the frozen flag.
    function setCaps(State storage self, address token, uint256 supplyCapAssets, uint256 borrowCapAssets)
        internal
    {
        // Above NO_CAP a cap could never bind (cash is uint112): store NO_CAP.
        supplyCapAssets = Math.min(supplyCapAssets, NO_CAP);
        borrowCapAssets = Math.min(borrowCapAssets, NO_CAP);
        // safe: both ≤ NO_CAP
        self.limits = Limits(uint112(supplyCapAssets), uint112(borrowCapAssets), self.limits.frozen);
        emit ILending.CapsSet(token, supplyCapAssets, borrowCapAssets);
    }

    /// @notice Freezes or unfreezes the pool: while frozen, outside lenders' withdrawals wait.
    function setFrozen(State storage self, bool frozen) internal {
        self.limits.frozen = frozen;
    }

    function _setRateModel(State storage self, address token, RateModel memory model) private {
        model.validate();
        self.model = model;
        emit ILending.RateModelSet(token, model);
    }

    function _setReserveFactor(State storage self, address token, uint16 bps) private {
        require(bps <= MAX_RESERVE_FACTOR_BPS, ILending.ReserveFactorTooHigh(bps, MAX_RESERVE_FACTOR_BPS));
        self.ledger.reserveFactorBps = bps;
        emit ILending.ReserveFactorSet(token, bps);
    }

    // ------------------------------------------------------------------ views (on a snapshot)

    /// @notice supplyAssets = cash + totalBorrows − reserves; never negative (L2).
    function supplyAssets(Snapshot memory s) internal pure returns (uint256) {
        return s.cash + s.totalBorrows - s.reserves;
    }

    /// @notice The borrow rate per second (WAD) at the snapshot's utilisation (rounded up: the pool's side).
    function rateOf(State storage self, Snapshot memory s) internal view returns (uint256) {
        RateModel memory m = self.model;
        return m.ratePerSecondWad(RateModelLib.utilizationWad(s.cash, s.totalBorrows, s.reserves));
    }

    /// @notice Room under the supply cap and under what the uint112 cash can hold.
    function capRoom(State storage self, Snapshot memory s) internal view returns (uint256) {
        uint256 assets = supplyAssets(s);
        uint256 cap = self.limits.supplyCapAssets;
        if (assets >= cap) return 0;
        return Math.min(cap - assets, NO_CAP - s.cash);
    }

    /// @notice The most a supply may add: room under the supply cap, under what the uint112 cash can
    ///         hold, and under what the uint128 share supply can hold. A write-off can take the share
    ///         price down towards 1 / (supply + 10^6) atoms (lenders wiped out), and a supply then mints
    ///         that many shares per atom, so the last bound can bind long before the others.
    function maxSupply(State storage self, Snapshot memory s) internal view returns (uint256) {
        uint256 room = capRoom(self, s);
        uint256 assets = supplyAssets(s);
        uint256 total = self.supplyShares;
        uint256 shareRoom = MAX_SUPPLY_SHARES - total;
        // room ≤ 2^112 and total + 10^6 < 2^129: the plain product fits
        if (SharesMathLib.toSharesDown(room, assets, total) <= shareRoom) return room;
        // The most assets whose shares (rounded down, as a supply mints) fit in shareRoom:
        // ⌈(shareRoom + 1)(supplyAssets + 1)/(supply + 10^6)⌉ − 1, which is < room here.
        return SharesMathLib.toAssetsUp(shareRoom + 1, assets, total) - 1;
    }

    /// @notice The most supply shares a redemption can take for at most the cash:
    ///         the largest n with ⌊n·(supplyAssets+1)/(supply+10^6)⌋ ≤ cash, i.e.
    ///         ⌈(cash+1)·(supply+10^6)/(supplyAssets+1)⌉ − 1.
    function maxRedeemByCash(State storage self, Snapshot memory s) internal view returns (uint256) {
        return SharesMathLib.toSharesUp(s.cash + 1, supplyAssets(s), self.supplyShares) - 1;
    }

    /// @notice For what-if views: the borrow rate once `redeemedAssets` have left the cash (a lent
    ///         balance redeemed first) and `extraAssets` more are borrowed, and how much can then be
    ///         borrowed at all (the cash left and the borrow cap).
    function borrowQuote(State storage self, uint256 redeemedAssets, uint256 extraAssets)
        internal
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable)
    {
        Snapshot memory s = accrued(self);
        s.cash -= Math.min(redeemedAssets, s.cash);
        uint256 cap = self.limits.borrowCapAssets;
        uint256 capRoom_ = cap > s.totalBorrows ? cap - s.totalBorrows : 0;
        borrowable = Math.min(s.cash, capRoom_);
        uint256 extra = Math.min(extraAssets, s.cash);
        RateModel memory m = self.model;
        ratePerSecondWad =
            m.ratePerSecondWad(RateModelLib.utilizationWad(s.cash - extra, s.totalBorrows + extra, s.reserves));
    }

    /// @notice Current supply rate per second in WAD: borrowRate · u · (1 − reserveFactor), rounded
    ///         down (never overstates what lenders earn).
    function supplyRatePerSecondWad(State storage self) internal view returns (uint256) {
        Snapshot memory s = accrued(self);
        uint256 u = RateModelLib.utilizationWad(s.cash, s.totalBorrows, s.reserves);
        RateModel memory m = self.model;
        uint256 grossWad = MathLib.fullMulDivDown(m.ratePerSecondWad(u), u, SharesMathLib.WAD);
        return grossWad * (BPS - s.reserveFactorBps) / BPS; // rounded down, likewise
    }
}
