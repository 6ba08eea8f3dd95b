// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";
import {OrderWord, OrderWordLib, OrderFields} from "../types/OrderWord.sol";
import {OrderId, OrderIdLib} from "../types/OrderId.sol";
import {OrderSlot, OrderSlotLib} from "../types/OrderSlot.sol";
import {ClientSlot, ClientSlotLib} from "../types/ClientSlot.sol";
import {LevelKey, LevelKeyLib, LevelWord, LevelWordLib} from "../types/LevelWord.sol";
import {TopWord} from "../types/TopWord.sol";
import {SpotPocket, SpotPocketLib} from "../types/SpotPocket.sol";
import {BatchOp, BatchOpLib} from "../types/BatchOp.sol";
import {BatchResult, BatchResultLib} from "../types/BatchResult.sol";
import {TakerWord, TradeSummary, FillWord, PlacedInfo, TradeWordsLib} from "../types/TradeWords.sol";
import {OpenOrdersCursor} from "../types/OpenOrdersCursor.sol";
import {BookConfig, BookConfigLib} from "../types/BookConfig.sol";
import {ArrayLib} from "../libraries/ArrayLib.sol";
import {BookLib} from "../book/BookLib.sol";

/// @notice Test only: the book's type libraries behind external functions, so the SDK's codec can be
/// checked against them word for word (test/sdk/codec.test.ts) and `ArrayLib` tested.
contract BookCodecMock {
    function decodeOrder(uint256 w) external pure returns (OrderFields memory o) {
        OrderWord p = OrderWord.wrap(w);
        o = OrderFields(
            p.lots(), p.tick(), p.side(), p.kind(), p.selfTrade(), p.maxFills(), p.sub(), p.expiry(),
            p.clientOrderId(), p.reduceOnly()
        );
    }

    function encodeOrder(OrderFields memory o) external pure returns (uint256) {
        return OrderWord.unwrap(OrderWordLib.pack(o));
    }

    /// @dev `placeOrderFields`' checked packing (reverts with the field's error).
    function packFields(OrderFields calldata o) external pure returns (uint256) {
        return OrderWord.unwrap(BookLib.packFields(o));
    }

    function orderUnusedBits(uint256 w) external pure returns (uint256) {
        return OrderWord.wrap(w).unusedBits();
    }

    function decodeOrderId(uint256 id)
        external
        pure
        returns (uint256 market, uint256 side, uint256 tick, uint256 epoch, uint256 position)
    {
        OrderId i = OrderId.wrap(id);
        return (i.market(), i.side(), i.tick(), i.epoch(), i.position());
    }

    function encodeOrderId(uint256 market, uint256 side, uint256 tick, uint256 epoch, uint256 position)
        external
        pure
        returns (uint256)
    {
        return OrderId.unwrap(OrderIdLib.from(market, LevelKey.unwrap(LevelKeyLib.from(side, tick)), epoch, position));
    }

    function decodeBatchOp(uint256 w)
        external
        pure
        returns (uint256 kind, uint256 order, uint256 orderId, uint256 newLots, uint256 clientOrderId)
    {
        BatchOp op = BatchOp.wrap(w);
        return (op.kind(), OrderWord.unwrap(op.order()), OrderId.unwrap(op.orderId()), op.newLots(), op.clientOrderId());
    }

    function encodeCancelOp(uint256 orderId) external pure returns (uint256) {
        return BatchOp.unwrap(BatchOpLib.cancel(OrderId.wrap(orderId)));
    }

    function encodeAmendOp(uint256 orderId, uint256 newLots) external pure returns (uint256) {
        return BatchOp.unwrap(BatchOpLib.amend(OrderId.wrap(orderId), newLots));
    }

    function encodeCancelClientIdOp(uint256 clientOrderId) external pure returns (uint256) {
        return BatchOp.unwrap(BatchOpLib.cancelClientId(clientOrderId));
    }

    /// @dev A batch op's skip-if-missing flag and whether it sets a bit outside its fields (kinds 1-3).
    function batchOpFlags(uint256 w) external pure returns (bool skipMissing, bool reservedBits) {
        BatchOp op = BatchOp.wrap(w);
        return (op.skipMissing(), op.hasReservedBits());
    }

    function encodeSkippingOp(uint256 w) external pure returns (uint256) {
        return BatchOp.unwrap(BatchOp.wrap(w).skippingMissing());
    }

    function decodeBatchResult(uint256 w)
        external
        pure
        returns (uint256 status, uint256 orderId, uint256 filledLots, uint256 lots)
    {
        BatchResult r = BatchResult.wrap(w);
        return (r.status(), OrderId.unwrap(r.orderId()), r.filledLots(), r.lots());
    }

    function encodeBatchResult(uint256 status, uint256 orderId, uint256 filledLots, uint256 lots)
        external
        pure
        returns (uint256)
    {
        return BatchResult.unwrap(BatchResultLib.from(status, OrderId.wrap(orderId), filledLots, lots));
    }

    function decodeFill(uint256 w) external pure returns (uint256 makerOrderId, uint256 lots) {
        FillWord f = FillWord.wrap(w);
        return (OrderId.unwrap(f.makerOrderId()), f.lots());
    }

    function encodeFill(uint256 makerOrderId, uint256 lots) external pure returns (uint256) {
        return FillWord.unwrap(TradeWordsLib.fillWord(OrderId.wrap(makerOrderId), lots));
    }

    function decodeTradeSummary(uint256 w) external pure returns (uint256 filled, uint256 notional, uint256 takerFee) {
        TradeSummary s = TradeSummary.wrap(w);
        return (s.filledLots(), s.notional(), s.takerFee());
    }

    function encodeTradeSummary(uint256 filled, uint256 notional, uint256 takerFee) external pure returns (uint256) {
        return TradeSummary.unwrap(TradeWordsLib.tradeSummary(filled, notional, takerFee));
    }

    function decodeTaker(uint256 w) external pure returns (AccountId account, uint256 side, uint256 kind) {
        TakerWord t = TakerWord.wrap(w);
        return (t.account(), t.side(), t.kind());
    }

    function encodeTaker(AccountId account, uint256 side, uint256 kind) external pure returns (uint256) {
        return TakerWord.unwrap(TradeWordsLib.takerWord(account, side, kind));
    }

    function decodePlacedInfo(uint256 w) external pure returns (AccountId account, uint256 lots, uint256 clientOrderId) {
        PlacedInfo p = PlacedInfo.wrap(w);
        return (p.account(), p.lots(), p.clientOrderId());
    }

    function encodePlacedInfo(AccountId account, uint256 lots, uint256 clientOrderId) external pure returns (uint256) {
        return PlacedInfo.unwrap(TradeWordsLib.placedInfo(account, lots, clientOrderId));
    }

    function decodeLevel(uint256 w)
        external
        pure
        returns (uint256 totalLots, uint256 head, uint256 tail, uint256 epoch, uint256 stragglers)
    {
        LevelWord lvl = LevelWord.wrap(w);
        return (lvl.totalLots(), lvl.head(), lvl.tail(), lvl.epoch(), lvl.stragglers());
    }

    function encodeLevel(uint256 totalLots, uint256 head, uint256 tail, uint256 epoch, uint256 stragglers)
        external
        pure
        returns (uint256)
    {
        return LevelWord.unwrap(LevelWordLib.pack(totalLots, head, tail, epoch, stragglers));
    }

    function decodeSpotPocket(uint256 w)
        external
        pure
        returns (
            uint256 lockedQuote,
            uint256 lockedBase,
            uint256 unsweptQuote,
            uint256 unsweptBase,
            uint256 openOrders,
            bool margin
        )
    {
        SpotPocket p = SpotPocket.wrap(w);
        return (p.lockedQuote(), p.lockedBase(), p.unsweptQuote(), p.unsweptBase(), p.openOrders(), p.margin());
    }

    function encodeSpotPocket(
        uint256 lockedQuote,
        uint256 lockedBase,
        uint256 unsweptQuote,
        uint256 unsweptBase,
        uint256 openOrders,
        bool margin
    ) external pure returns (uint256) {
        SpotPocket w = SpotPocketLib.pack(lockedQuote, lockedBase, unsweptQuote, unsweptBase, openOrders);
        return SpotPocket.unwrap(margin ? w.withMargin() : w);
    }

    function fitsSpotPocket(uint256 lockedQuote, uint256 lockedBase, uint256 unsweptQuote, uint256 unsweptBase)
        external
        pure
        returns (bool)
    {
        return SpotPocketLib.fits(lockedQuote, lockedBase, unsweptQuote, unsweptBase);
    }

    function decodeTop(uint256 w)
        external
        pure
        returns (
            uint256 bestBid,
            uint256 bestAsk,
            bool paused,
            int16 makerFeeBps,
            uint16 takerFeeBps,
            uint256 feesAccrued
        )
    {
        TopWord t = TopWord.wrap(w);
        return (t.bestBid(), t.bestAsk(), t.paused(), t.makerFeeBps(), t.takerFeeBps(), t.feesAccrued());
    }

    function encodeTop(
        uint256 bestBid,
        uint256 bestAsk,
        bool paused,
        int16 makerFeeBps,
        uint16 takerFeeBps,
        uint256 feesAccrued
    ) external pure returns (uint256) {
        TopWord t = TopWord.wrap(0).withBestBid(bestBid);
        t = t.withBestAsk(bestAsk);
        t = t.withPaused(paused);
        t = t.withFees(makerFeeBps, takerFeeBps);
        return TopWord.unwrap(t.addFees(feesAccrued));
    }

    function decodeOrderSlot(uint256 w)
        external
        pure
        returns (AccountId account, uint256 lots, bool reduceOnly, uint256 lapTag, uint256 expiry)
    {
        OrderSlot s = OrderSlot.wrap(w);
        return (s.account(), s.lots(), s.reduceOnly(), s.lapTag(), s.expiry());
    }

    function encodeOrderSlot(AccountId account, uint256 lots, bool reduceOnly, uint256 expiry, uint256 position)
        external
        pure
        returns (uint256)
    {
        return OrderSlot.unwrap(OrderSlotLib.pack(account, lots, reduceOnly ? 1 : 0, expiry).withLap(position));
    }

    function decodeClientSlot(uint256 w) external pure returns (uint256 clientOrderId, uint256 orderId) {
        ClientSlot e = ClientSlot.wrap(w);
        return (e.clientId(), OrderId.unwrap(e.orderId()));
    }

    function encodeClientSlot(uint256 clientOrderId, uint256 orderId) external pure returns (uint256) {
        return ClientSlot.unwrap(ClientSlotLib.pack(clientOrderId, orderId));
    }

    /// @dev The entry index of `clientOrderId` and the order it names in entry `w` (0: another id's).
    function clientSlotLookup(uint256 w, uint256 clientOrderId) external pure returns (uint256 index, uint256 orderId) {
        return (ClientSlotLib.indexOf(clientOrderId), OrderId.unwrap(ClientSlot.wrap(w).orderOf(clientOrderId)));
    }

    function decodeCursor(uint256 w) external pure returns (uint256 side, uint256 tick, uint256 position, uint256 found) {
        OpenOrdersCursor c = OpenOrdersCursor.wrap(w);
        return (c.side(), c.tick(), c.position(), c.found());
    }

    /// @dev `ArrayLib.truncate` on a fresh array of `len` entries 1..len: returns what is left.
    function truncate(uint256 len, uint256 n) external pure returns (uint256[] memory a) {
        a = new uint256[](len);
        for (uint256 i; i < len; ++i) {
            a[i] = i + 1;
        }
        ArrayLib.truncate(a, n);
    }

    function encodeConfig(uint16 index, uint64 minLots, uint16 maxMakerFeeBps, uint128 tickSize, bool perp)
        external
        pure
        returns (uint256)
    {
        return BookConfig.unwrap(BookConfigLib.pack(index, minLots, maxMakerFeeBps, tickSize, perp));
    }

    function decodeConfig(uint256 w)
        external
        pure
        returns (uint256 index, uint256 minLots, uint256 maxMakerFeeBps, uint256 tickSize, bool perp)
    {
        BookConfig c = BookConfig.wrap(w);
        return (c.index(), c.minLots(), c.maxMakerFeeBps(), c.tickSize(), c.isPerp());
    }
}
