// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {AccountId} from "../types/AccountId.sol";
import {BookConfig} from "../types/BookConfig.sol";
import {OrderWord} from "../types/OrderWord.sol";
import {OrderSlot} from "../types/OrderSlot.sol";
import {TopWord} from "../types/TopWord.sol";
import {Ctx, Taker} from "../book/BookCtx.sol";
import {BookLib} from "../book/BookLib.sol";
import {SpotLib} from "../book/SpotLib.sol";
import {PerpLib} from "../perp/PerpLib.sol";

/// @notice One market inside the core, spot or perp, under its market id. The first word is what
/// the book reads on every call (`BookConfig`, with the market's kind); the next two what a
/// settlement reads (the assets and the lot size); the last two only a perp market's (its funding,
/// caps and ATLAS parameters, written once at creation). Then the book, and the kind's own state:
/// a spot market's pockets or a perp market's positions, pockets, funding and loss index (the
/// other kind's mappings stay empty).
/// @dev Plain typed fields, packed by the compiler: slot 1 = base | lot size; slot 2 = quote | the
/// perp's ATLAS parameters; slot 3 = the perp's caps, funding bounds and the assets' decimals.
struct Market {
    BookConfig config;
    /// @dev spot: the base token; perp: the underlying asset (its oracle price, netting with spot)
    address base;
    /// @dev base atoms per lot (bounded below 2^96 at creation)
    uint96 lotSize;
    address quote;
    uint16 liquidityBps;
    uint16 basisBps;
    uint16 floorBps;
    uint16 maxPremiumBps;
    /// @dev whole USD (bounded below 2^32 at creation)
    uint32 impactNotionalUsd;
    uint64 oiCapLots;
    uint64 positionCapLots;
    int32 interestPpmPerHour;
    uint32 fundingClampPpm;
    uint32 fundingCapPpm;
    uint8 baseDecimals;
    uint8 quoteDecimals;
    BookLib.State book;
    SpotLib.State spot;
    PerpLib.State perp;
}

/// @title MarketLib: the book's market-kind hooks, dispatched on the market's kind
/// @notice `BookLib` matches, queues and cancels; what a resting order commits and what a fill
/// moves is the kind's: `SpotLib` (pockets of locked funds and proceeds) or `PerpLib` (order
/// exposure, positions, the premium's counted depth). Each hook reads the kind from the market's
/// first word, which the call has already loaded (a warm read).
library MarketLib {
    using TransientSlot for TransientSlot.BooleanSlot;

    /// @dev The call removed depth a perp premium's target counted, so the call re-samples the
    /// premium before it ends (`PerpLib.removesCounted`). Transient: one market per call.
    /// keccak256("megaeth-exchange.core.depthRemoved") - 1
    TransientSlot.BooleanSlot internal constant DEPTH_REMOVED =
        TransientSlot.BooleanSlot.wrap(0x2317457a304effd0bac4627bb2af07a75074fec1466f3715ae900a05fa582cda);

    /// @dev Validates what only this kind knows about an order (reduce-only).
    function checkPlace(Market storage m, BookConfig cfg, Ctx memory c, OrderWord p, uint256 side, uint256 lots)
        internal
        view
    {
        if (cfg.isPerp()) PerpLib.checkPlace(c, p, side, lots, m.positionCapLots);
        else SpotLib.checkPlace(p);
    }

    /// @dev Commits `lots` resting at `tick` on `side` for the acting account.
    function lock(BookConfig cfg, Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal pure {
        if (cfg.isPerp()) PerpLib.lock(c, side, lots);
        else SpotLib.lock(c, cfg.maxMakerFeeBps(), side, tick, lots);
    }

    /// @dev Returns `lots` of the acting account's commitment (its open-order count unchanged).
    function unlock(Market storage m, BookConfig cfg, Ctx memory c, uint256 side, uint256 tick, uint256 lots) internal {
        if (cfg.isPerp()) {
            PerpLib.unlock(c, side, lots);
            noteRemoval(m, side, tick);
        } else {
            SpotLib.unlock(c, cfg.maxMakerFeeBps(), side, tick, lots);
        }
    }

    /// @dev Ends `lots` of another account's order in storage (one fewer open order).
    function releaseOther(Market storage m, BookConfig cfg, AccountId owner, uint256 side, uint256 tick, uint256 lots)
        internal
    {
        if (cfg.isPerp()) trimMaker(m, owner, side, tick, lots, true);
        else SpotLib.releaseOther(m.spot, cfg.maxMakerFeeBps(), owner, side, tick, lots);
    }

    /// @dev Lots of a maker order that may fill now (a perp's reduce-only orders follow the live
    /// position; all of a spot order may fill).
    function makerFillable(Market storage m, BookConfig cfg, OrderSlot ow, uint256 olots, uint256 makerSide)
        internal
        view
        returns (uint256)
    {
        if (!cfg.isPerp()) return olots;
        return PerpLib.makerFillable(m.perp, ow, olots, makerSide, m.positionCapLots);
    }

    /// @dev Cancels `lots` of a maker order that may no longer fill (`ends`: the whole order); only
    /// a perp market trims (`makerFillable` never does on spot).
    function trimMaker(Market storage m, AccountId acct, uint256 side, uint256 tick, uint256 lots, bool ends)
        internal
    {
        PerpLib.trimMaker(m.perp, acct, side, lots, ends);
        noteRemoval(m, side, tick);
    }

    /// @dev Books one maker fill of `f` lots at `t.tick` (one pocket write per maker).
    function fillMaker(
        Market storage m,
        BookConfig cfg,
        TopWord top,
        Taker memory t,
        AccountId maker,
        uint256 f,
        bool done
    ) internal {
        if (cfg.isPerp()) PerpLib.fillMaker(m.perp, top, t, maker, f, done, cfg.tickSize());
        else SpotLib.fillMaker(m.spot, cfg.maxMakerFeeBps(), top, t, maker, f, done);
    }

    /// @dev Books the taker's side of all its fills and emits `Trade`. On a perp market the fills
    /// began at the maker side's best price as stored (the book's top is written at the call's
    /// end): that removal is noted first.
    function settleTaker(Market storage m, BookConfig cfg, Ctx memory c, Taker memory t, uint256 kind) internal {
        if (cfg.isPerp()) {
            noteRemoval(m, t.side ^ 1, m.book.top.best(t.side ^ 1));
            uint256 takerFee = PerpLib.settleTaker(m.perp, c, t, cfg.tickSize(), m.oiCapLots);
            BookLib.emitTrade(cfg, c, t, kind, takerFee);
        } else {
            SpotLib.settleTaker(cfg, c, t, kind);
        }
    }

    /// @dev A working copy of `acct`'s pocket (and perp position) on the market.
    function load(Market storage m, BookConfig cfg, AccountId acct) internal view returns (Ctx memory c) {
        if (cfg.isPerp()) PerpLib.load(m.perp, acct, c);
        else SpotLib.load(m.spot, c, acct);
    }

    /// @dev The account's pocket in atoms. Spot: locked base and quote, unswept base and quote, open
    /// orders. Perp, in the same shape: ask and bid atoms, |size| atoms, |unsettled cash|, open orders.
    function pocketOf(Market storage m, AccountId acct)
        internal
        view
        returns (uint256, uint256, uint256, uint256, uint256)
    {
        BookConfig cfg = m.config;
        if (cfg.isPerp()) return PerpLib.pocketOf(m.perp, acct, m.lotSize);
        return SpotLib.pocketAtoms(m.spot, m.lotSize, cfg.tickSize(), acct);
    }

    /// @dev The account's open orders on the market.
    function openCount(Market storage m, AccountId acct) internal view returns (uint256) {
        return m.config.isPerp() ? PerpLib.openCount(m.perp, acct) : SpotLib.openCount(m.spot, acct);
    }

    /// @dev Records that this call removed lots the premium's target counted (the call then re-samples).
    function noteRemoval(Market storage m, uint256 side, uint256 tick) internal {
        if (DEPTH_REMOVED.tload()) return;
        if (PerpLib.removesCounted(m.perp, side, tick)) DEPTH_REMOVED.tstore(true);
    }

    /// @dev Whether this call removed counted depth, clearing the flag.
    function takeDepthRemoved() internal returns (bool removed) {
        removed = DEPTH_REMOVED.tload();
        if (removed) DEPTH_REMOVED.tstore(false);
    }
}
