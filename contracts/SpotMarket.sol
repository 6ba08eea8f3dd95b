// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ISpotMarket} from "./interfaces/ISpotMarket.sol";
import {IOrderBook} from "./interfaces/IOrderBook.sol";
import {AccountId} from "./types/AccountId.sol";
import {OrderWord} from "./types/OrderWord.sol";
import {OrderSlot} from "./types/OrderSlot.sol";
import {TopWord} from "./types/TopWord.sol";
import {OrderBook} from "./book/OrderBook.sol";
import {Ctx, Taker} from "./book/BookCtx.sol";
import {SpotLib} from "./book/SpotLib.sol";
import {BookParams} from "./interfaces/IOrderBook.sol";

/// @notice Read by a spot market's constructor so its init code (and CREATE2 address) is constant.
interface ISpotMarketDeployer {
    function bookParameters() external view returns (BookParams memory);
}

/// @title SpotMarket: one central limit order book with matching and settlement
/// @notice The book is `OrderBook`'s (`BookLib`); what spot commits and moves is `SpotLib`'s, over
/// the pockets this contract holds. Per account one pocket slot holds locked funds and unswept
/// proceeds, so a maker fill writes the order's ring slot (only if partially filled) and one
/// pocket. What crosses to the Clearinghouse (settling, margin checks) stays here.
contract SpotMarket is ISpotMarket, OrderBook {
    /// @dev The pockets (slot 5: one word per account, layout in `SpotPocket`).
    SpotLib.State internal _spot;

    constructor() OrderBook(ISpotMarketDeployer(msg.sender).bookParameters()) {}

    /// @inheritdoc ISpotMarket
    function sweep(address owner, uint8 sub) external nonReentrant {
        Ctx memory c = _load(_account(owner, sub));
        (uint256 baseAtoms, uint256 quoteAtoms) = SpotLib.takeUnswept(c, LOT_SIZE, TICK_SIZE);
        _flush(c);
        if (baseAtoms | quoteAtoms != 0) {
            // both products are < 2^72 * 2^128, far inside int256
            CLEARINGHOUSE.settle(INDEX, BASE, QUOTE, c.account, int256(baseAtoms), int256(quoteAtoms), 0);
        }
        emit Swept(c.account, baseAtoms, quoteAtoms);
    }

    /// @inheritdoc ISpotMarket
    function setMarginFlag(AccountId account) external onlyClearinghouse {
        SpotLib.setMargin(_spot, account);
    }

    // ------------------------------------------------------------------ book hooks (SpotLib's)

    function _checkPlace(Ctx memory, OrderWord p, uint256, uint256) internal pure override {
        SpotLib.checkPlace(p);
    }

    function _lock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal view override {
        SpotLib.lock(c, MAX_MAKER_FEE_BPS, side, tick, lots);
    }

    function _unlock(Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal view override {
        SpotLib.unlock(c, MAX_MAKER_FEE_BPS, side, tick, lots);
    }

    function _releaseOther(AccountId owner, uint256 side, uint256 tick, uint256 lots) internal override {
        SpotLib.releaseOther(_spot, MAX_MAKER_FEE_BPS, owner, side, tick, lots);
    }

    /// @dev Spot orders are never reduce-only: all of a maker order may fill.
    function _makerFillable(OrderSlot, uint256 olots, uint256) internal pure override returns (uint256) {
        return olots;
    }

    /// @dev Unreachable on spot (`_makerFillable` never trims).
    function _trimMaker(AccountId, uint256, uint256, uint256, bool) internal pure override {}

    function _openCount(AccountId acct) internal view override returns (uint256) {
        return SpotLib.openCount(_spot, acct);
    }

    function _fillMaker(TopWord top, Taker memory t, AccountId maker, uint256 f, bool done) internal override {
        SpotLib.fillMaker(_spot, MAX_MAKER_FEE_BPS, top, t, maker, f, done);
    }

    function _settleTaker(Ctx memory c, Taker memory t, uint256 kind) internal override {
        SpotLib.settleTaker(c, t, kind);
    }

    /// @dev The return variable is the one working copy (a memory struct is allocated where declared).
    function _load(AccountId acct) internal view override returns (Ctx memory c) {
        SpotLib.load(_spot, c, acct);
    }

    function _storePocket(Ctx memory c) internal override {
        SpotLib.storePocket(_spot, c);
    }

    /// @dev Writes the pocket and market state, then (last, as the only external call) takes
    /// from the Clearinghouse balance what the pocket could not cover.
    function _flush(Ctx memory c) internal override {
        _storePocket(c);
        if (c.topLoaded) _book.top = c.top;
        if (c.owedBase | c.owedQuote != 0) {
            // products are < 2^72 * 2^128: they fit int256
            bool margin = CLEARINGHOUSE.settle(
                INDEX,
                BASE,
                QUOTE,
                c.account,
                -int256(c.owedBase * LOT_SIZE),
                -int256(c.owedQuote * TICK_SIZE),
                (c.margin ? 1 : 0) | (c.fresh ? 2 : 0)
            );
            if (margin != c.margin) {
                c.margin = margin;
                _storePocket(c); // same slot, already written: a warm rewrite
            }
        } else if (c.margin && c.risky) {
            // funded from the pocket alone: the Clearinghouse did not see it, so ask it now
            CLEARINGHOUSE.checkMargin(c.account);
        }
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ISpotMarket
    function pocketOf(address owner, uint8 sub)
        external
        view
        returns (uint256 lockedBase, uint256 lockedQuote, uint256 unsweptBase, uint256 unsweptQuote, uint256 openOrderCount)
    {
        return SpotLib.pocketAtoms(_spot, LOT_SIZE, TICK_SIZE, _account(owner, sub));
    }

    /// @inheritdoc ISpotMarket
    function riskPocketOf(AccountId account)
        external
        view
        returns (address, address, uint256, uint256, uint256, uint256)
    {
        (uint256 lockedBase, uint256 lockedQuote, uint256 unsweptBase, uint256 unsweptQuote,) =
            SpotLib.pocketAtoms(_spot, LOT_SIZE, TICK_SIZE, account);
        return (BASE, QUOTE, lockedBase, lockedQuote, unsweptBase, unsweptQuote);
    }
}
