// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IPerpLiquidator} from "./interfaces/IPerpLiquidator.sol";
import {IPerpMarket, PerpMarketParams} from "./interfaces/IPerpMarket.sol";
import {IClearinghouse} from "./interfaces/IClearinghouse.sol";
import {AccountId, AccountIdLib} from "./types/AccountId.sol";
import {AccountState} from "./types/AccountState.sol";
import {LiquidationLib} from "./perp/LiquidationLib.sol";

/// @title PerpLiquidator: liquidation and bankruptcy of perp positions (see `IPerpLiquidator`)
/// @notice Holds nothing. Values come from ATLAS and the market; positions move only through the
/// market's liquidator-only `transferPosition`, which settles both sides in the Clearinghouse; a
/// bankrupt position's loss reaches the opposite side through the market's `absorbLoss`. Its
/// arithmetic (prices, the spot leg, the buffer, values at the mark) is `LiquidationLib`'s.
contract PerpLiquidator is IPerpLiquidator, ReentrancyGuardTransient {
    IClearinghouse public immutable CLEARINGHOUSE;

    constructor(IClearinghouse clearinghouse) {
        CLEARINGHOUSE = clearinghouse;
    }

    /// @inheritdoc IPerpLiquidator
    function liquidate(address market, AccountId account, uint256 lots, uint8 liquidatorSub, bool withSpot)
        external
        nonReentrant
        returns (uint256 priceAtoms)
    {
        AccountId liq = AccountIdLib.from(msg.sender, liquidatorSub);
        require(!liq.eq(account), IClearinghouse.SelfLiquidation());
        IPerpMarket m = _perp(market);
        int256 mvBefore = CLEARINGHOUSE.maintenanceValue(account); // ATLAS, valued in the Clearinghouse
        require(mvBefore < 0, IClearinghouse.NotLiquidatable(account, mvBefore));
        // the first call starts the auction clock (the flag re-values the account: only when needed)
        if (_state(account).liquidatableSince() == 0) CLEARINGHOUSE.flagLiquidatable(account);
        (int256 size,,,, uint256 bids, uint256 asks) = m.positionOf(account);
        require(bids | asks == 0, IClearinghouse.OrdersStillOpen(market, bids + asks));
        require(size != 0, NoPosition(account));
        require(lots != 0 && lots <= SignedMath.abs(size), InvalidLiquidation(size, lots));
        (uint256 indexLot, uint256 markLot) = m.markPrice();
        uint256 discountBps = CLEARINGHOUSE.liquidationDiscountBps(account, m.BASE());
        uint256 spotAtoms;
        if (withSpot) {
            // the pair carries little risk: the perp leg moves at the mark, the spot leg at the
            // index less a discount below the basis charge
            // at most the same share of the basis charge as the Dutch cap takes of shock + slippage,
            // so unwinding the pair still raises maintenance value
            PerpMarketParams memory p = m.perpParams();
            (, uint16 capShareBps,) = CLEARINGHOUSE.liquidationParams();
            uint256 hedgeCap = LiquidationLib.hedgeCapBps(p.basisBps, capShareBps);
            if (discountBps > hedgeCap) discountBps = hedgeCap;
            spotAtoms = lots * p.lotSize;
            _moveSpot(m, account, liq, size, spotAtoms, indexLot * lots, discountBps);
            // the liquidator's side of the mark, rounded its way: it buys a long, sells a short
            priceAtoms = LiquidationLib.closeAtMark(size, markLot);
        } else {
            // a long is bought below the mark, a short sold above it
            priceAtoms = LiquidationLib.discounted(size, markLot, discountBps);
        }
        int256 moved = size > 0 ? int256(lots) : -int256(lots);
        m.transferPosition(account, liq, moved, priceAtoms, true);
        // the spot leg may have borrowed for the liquidator even where its perp position shrank
        if (withSpot) CLEARINGHOUSE.checkMargin(liq);
        // one lot may always go (else a dust position, or a pair, whose smallest take overshoots the
        // buffer could never be closed); a take that restores the account ends its auction
        if (_checkImproved(account, mvBefore, lots == 1) >= 0) CLEARINGHOUSE.flagLiquidatable(account);
        emit PositionLiquidated(market, account, liq, moved, priceAtoms, spotAtoms, discountBps);
    }

    /// @dev The hedging spot leg: a long perp is hedged by a spot debt (the liquidator delivers the
    /// asset and is paid above the index), a short perp by spot held (bought below the index).
    function _moveSpot(
        IPerpMarket m,
        AccountId account,
        AccountId liq,
        int256 size,
        uint256 spotAtoms,
        uint256 indexValueWad,
        uint256 discountBps
    ) internal {
        int256 spot = CLEARINGHOUSE.balanceOf(account, m.BASE());
        if (size > 0) {
            require(spot < 0 && uint256(-spot) >= spotAtoms, InvalidLiquidation(spot, spotAtoms));
            m.liquidationSwap(liq, account, spotAtoms, LiquidationLib.spotLegQuote(true, indexValueWad, discountBps));
        } else {
            require(spot > 0 && uint256(spot) >= spotAtoms, InvalidLiquidation(spot, spotAtoms));
            m.liquidationSwap(account, liq, spotAtoms, LiquidationLib.spotLegQuote(false, indexValueWad, discountBps));
        }
    }

    /// @dev Every liquidation raises maintenance value, and stops at the buffer above zero (unless
    /// `smallest`: the least take there is); returns the maintenance value after.
    function _checkImproved(AccountId account, int256 mvBefore, bool smallest)
        internal
        view
        returns (int256 mv)
    {
        // a fresh valuation (the takeover settled cash and funding), without initial value
        int256 equity;
        (mv, equity,,,,) = CLEARINGHOUSE.liquidationQuote(account, address(0), address(0));
        require(mv > mvBefore, IClearinghouse.LiquidationDidNotImprove(mvBefore, mv));
        if (smallest) return mv;
        (,, uint16 bufferBps) = CLEARINGHOUSE.liquidationParams();
        int256 buffer = LiquidationLib.bufferValue(equity, bufferBps);
        require(mv <= buffer, IClearinghouse.LiquidationTooLarge(mv, buffer));
    }

    /// @inheritdoc IPerpLiquidator
    function resolveBankruptcy(address market, AccountId account, uint8 resolverSub)
        external
        nonReentrant
        returns (uint256 priceAtoms)
    {
        AccountId resolver = AccountIdLib.from(msg.sender, resolverSub);
        require(!resolver.eq(account), IClearinghouse.SelfLiquidation());
        IPerpMarket m = _perp(market);
        // (1) the account's own assets are gone: nothing left anywhere but this loss
        require(CLEARINGHOUSE.holdsNoAssets(account) && _noValueElsewhere(m, account), NotBankrupt(account));
        (int256 size, int256 entry, int256 cash, int256 owed, uint256 bids, uint256 asks) = m.positionOf(account);
        (, uint256 markLot) = m.markPrice();
        // the resolver's side of the mark, as a liquidator's: it buys a long, sells a short
        priceAtoms = LiquidationLib.closeAtMark(size, markLot);
        // the position's value closed at that price (owed: funding and losses charged to its side)
        int256 value = LiquidationLib.valueAt(size, entry, cash, owed, priceAtoms);
        require(size != 0 && bids | asks == 0 && value < 0, NotBankrupt(account));
        // (2) the market's fees, then (4) the opposite side through its loss index: the account's cash
        // then covers the close exactly (the fees' tick rounding may leave it a few atoms over)
        (uint256 feeAtoms, uint256 socializedAtoms) = m.absorbLoss(account, uint256(-value));
        m.transferPosition(account, resolver, size, priceAtoms, true);
        emit BankruptcyResolved(market, account, resolver, size, priceAtoms, feeAtoms, socializedAtoms);
    }

    /// @dev The account's state word in the Clearinghouse (`IClearinghouse.accountState`, typed).
    function _state(AccountId account) internal view returns (AccountState) {
        return AccountState.wrap(CLEARINGHOUSE.accountState(account));
    }

    /// @dev No other perp market holds value for the account: each position there is flat or under
    /// water at its mark, with no open orders (else its owner keeps a gain while others cover a loss).
    function _noValueElsewhere(IPerpMarket self, AccountId account) internal view returns (bool) {
        uint256 m = _state(account).markets();
        m &= CLEARINGHOUSE.perpMarketMask();
        for (uint256 i; m != 0; ++i) {
            if (m & 1 != 0) {
                IPerpMarket other = IPerpMarket(CLEARINGHOUSE.marketAt(i + 1));
                if (other != self) {
                    (, int256 value,, bool orders) = _atMark(other, account);
                    if (value > 0 || orders) return false;
                }
            }
            m >>= 1;
        }
        return true;
    }

    /// @dev The account's position on `m` and its cash at the mark, rounded against the account;
    /// the mark per lot (× 1e18); whether it has open orders there.
    function _atMark(IPerpMarket m, AccountId account)
        internal
        view
        returns (int256 size, int256 value, uint256 markLot, bool orders)
    {
        int256 entry;
        int256 cash;
        int256 owed;
        uint256 bids;
        uint256 asks;
        (size, entry, cash, owed, bids, asks) = m.positionOf(account);
        (, markLot) = m.markPrice();
        return (size, LiquidationLib.valueAtMark(size, entry, cash, owed, markLot), markLot, bids | asks != 0);
    }

    function _perp(address market) internal view returns (IPerpMarket m) {
        require(CLEARINGHOUSE.perpMarketIndex(market) != 0, NotPerpMarket(market));
        return IPerpMarket(market);
    }
}
