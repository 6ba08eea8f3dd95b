// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FeedKind} from "../interfaces/IOracle.sol";
import {AccountState} from "../types/AccountState.sol";
import {AssetWord, AssetWordLib} from "../types/AssetWord.sol";
import {FeedWord, FeedWordLib} from "../types/FeedWord.sol";
import {PriceWord, PriceWordLib} from "../types/PriceWord.sol";
import {Position, PositionLib} from "../types/Position.sol";
import {PerpPocket, PerpPocketLib} from "../types/PerpPocket.sol";
import {FundingWord, FundingWordLib} from "../types/FundingWord.sol";
import {PremiumWord, PremiumWordLib} from "../types/PremiumWord.sol";
import {PerpStats} from "../types/PerpStats.sol";
import {LossWord} from "../types/LossWord.sol";

/// @notice Test only: the perp, oracle and Clearinghouse type libraries behind external functions,
/// so the SDK's decoders (sdk/src/math/codec.venue.ts) can be checked against them word for word
/// (test/sdk/codec.venue.test.ts). `decode…` reads any word through the getters; the other functions
/// build a word through the library's own packers and setters.
contract VenueCodecMock {
    // ---------------------------------------------------------------- Clearinghouse

    function decodeAccountState(uint256 w)
        external
        pure
        returns (
            uint256 held,
            uint256 owed,
            uint256 markets,
            bool borrowsForOrders,
            bool borrowsForWithdrawals,
            bool hasPerp,
            uint256 liquidatableSince
        )
    {
        AccountState s = AccountState.wrap(w);
        return (
            s.held(), s.owed(), s.markets(), s.borrowsForOrders(), s.borrowsForWithdrawals(), s.hasPerp(),
            s.liquidatableSince()
        );
    }

    /// @dev A state built as the Clearinghouse builds it: `track` per asset (a negative amount is a
    /// debt), `withMarket` per market, the borrow policy, the perp flag and the auction clock.
    function buildAccountState(
        uint256[] calldata ids,
        int256[] calldata amounts,
        uint256[] calldata marketIndexes,
        bool forOrders,
        bool forWithdrawals,
        bool perp,
        uint256 since
    ) external pure returns (uint256) {
        AccountState s;
        for (uint256 i; i < ids.length; ++i) s = s.track(ids[i], amounts[i]);
        for (uint256 i; i < marketIndexes.length; ++i) s = s.withMarket(marketIndexes[i]);
        s = s.withBorrowPolicy(forOrders, forWithdrawals);
        if (perp) s = s.withPerp();
        return AccountState.unwrap(s.withLiquidatableSince(since));
    }

    function decodeAssetWord(uint256 w)
        external
        pure
        returns (address token, uint8 decimals, uint16 shockBps, uint16 slippageBps, uint16 lentHaircutBps, bool lent)
    {
        AssetWord a = AssetWord.wrap(w);
        return (a.token(), a.decimals(), a.shockBps(), a.slippageBps(), a.lentHaircutBps(), a.lent());
    }

    function assetWordFrom(address token, uint8 decimals, uint16 shockBps, uint16 slippageBps, uint16 haircutBps, bool lent)
        external
        pure
        returns (uint256)
    {
        AssetWord a = AssetWordLib.from(token, decimals, shockBps, slippageBps, haircutBps);
        return AssetWord.unwrap(lent ? a.withLent() : a);
    }

    // ---------------------------------------------------------------- oracle

    function decodeFeedWord(uint256 w)
        external
        pure
        returns (
            uint8 kind,
            uint32 maxAgeSeconds,
            uint16 maxConfBps,
            uint16 maxStableMoveBpsPerHour,
            uint8 feedDecimals,
            address feed
        )
    {
        FeedWord f = FeedWord.wrap(w);
        return (
            uint8(f.kind()), f.maxAgeSeconds(), f.maxConfBps(), f.maxStableMoveBpsPerHour(), f.feedDecimals(), f.feed()
        );
    }

    function feedWordFrom(
        uint8 kind,
        uint32 maxAgeSeconds,
        uint16 maxConfBps,
        uint16 maxStableMoveBpsPerHour,
        uint8 feedDecimals,
        address feed
    ) external pure returns (uint256) {
        return FeedWord.unwrap(
            FeedWordLib.from(FeedKind(kind), maxAgeSeconds, maxConfBps, maxStableMoveBpsPerHour, feedDecimals, feed)
        );
    }

    function decodePriceWord(uint256 w)
        external
        pure
        returns (
            uint8 kind,
            uint256 maxStableMoveBpsPerHour,
            uint256 expiresAt,
            uint256 stableAt,
            uint256 lastPriceWad,
            uint256 stableWad
        )
    {
        PriceWord p = PriceWord.wrap(w);
        return (uint8(p.kind()), p.maxStableMoveBpsPerHour(), p.expiresAt(), p.stableAt(), p.lastPriceWad(), p.stableWad());
    }

    function encodePriceWord(
        uint8 kind,
        uint256 maxStableMoveBpsPerHour,
        uint256 expiresAt,
        uint256 stableAt,
        uint256 lastPriceWad,
        uint256 stableWad
    ) external pure returns (uint256) {
        return PriceWord.unwrap(
            PriceWordLib.from(FeedKind(kind), maxStableMoveBpsPerHour, expiresAt, stableAt, lastPriceWad, stableWad)
        );
    }

    // ---------------------------------------------------------------- perp market

    function decodePosition(uint256 w) external pure returns (int256 size, int256 entry, int256 snapshot) {
        Position p = Position.wrap(w);
        return (p.size(), p.entry(), p.snapshot());
    }

    function packPosition(int256 size, int256 entry, int256 snapshot) external pure returns (uint256) {
        return Position.unwrap(PositionLib.pack(size, entry, snapshot));
    }

    function decodePerpPocket(uint256 w) external pure returns (uint256 bids, uint256 asks, uint256 orders, int256 cash) {
        PerpPocket p = PerpPocket.wrap(w);
        return (p.bidLots(), p.askLots(), p.openOrders(), p.cash());
    }

    function packPerpPocket(uint256 bids, uint256 asks, uint256 orders, int256 cash) external pure returns (uint256) {
        return PerpPocket.unwrap(PerpPocketLib.pack(bids, asks, orders, cash));
    }

    function decodeFundingWord(uint256 w)
        external
        pure
        returns (int256 index, int256 perSecond, bool hasLoss, int256 premium, uint256 lastUpdate)
    {
        FundingWord f = FundingWord.wrap(w);
        return (f.index(), f.perSecond(), f.hasLoss(), f.premium(), f.lastUpdate());
    }

    /// @dev A funding word as the market writes it: `initial`, then `sampled`, then the loss flag.
    function fundingWordOf(int256 index, int256 perSecond, int256 premium, uint256 time, bool loss)
        external
        pure
        returns (uint256)
    {
        FundingWord f = FundingWordLib.initial(time).sampled(index, perSecond, premium, time);
        return FundingWord.unwrap(loss ? f.withLoss() : f);
    }

    function decodePremiumWord(uint256 w)
        external
        pure
        returns (
            uint256 indexLot,
            int256 target,
            uint256 halfLife,
            uint256 countedTick,
            uint256 countedSide,
            uint256 impactUsd
        )
    {
        PremiumWord p = PremiumWord.wrap(w);
        return (p.indexLot(), p.target(), p.halfLife(), p.countedTick(), p.countedSide(), p.impactUsd());
    }

    /// @dev A premium word as the market writes it: `initial` (the params), then `sampled`.
    function premiumWordOf(
        uint256 halfLife,
        uint256 impactUsd,
        uint256 indexLot,
        int256 target,
        uint256 tick,
        uint256 side
    ) external pure returns (uint256) {
        return PremiumWord.unwrap(
            PremiumWordLib.initial(halfLife, impactUsd).sampled(indexLot, target, PremiumWordLib.counted(tick, side))
        );
    }

    function decodePerpStats(uint256 w) external pure returns (uint256 longLots, uint256 paid, uint256 received) {
        PerpStats s = PerpStats.wrap(w);
        return (s.longLots(), s.paid(), s.received());
    }

    /// @dev Stats as the market writes them (the totals saturate at 2^80 − 1).
    function perpStatsOf(uint256 longLots, uint256 paid, uint256 received) external pure returns (uint256) {
        PerpStats s;
        return PerpStats.unwrap(s.withLongLots(longLots).addPaid(paid).addReceived(received));
    }

    function decodeLossWord(uint256 w) external pure returns (uint256 perLongLot, uint256 perShortLot) {
        LossWord loss = LossWord.wrap(w);
        return (loss.perLongLot(), loss.perShortLot());
    }

    /// @dev A loss word charged once per side, as the market charges it.
    function lossWordOf(uint256 perLongLot, uint256 perShortLot) external pure returns (uint256) {
        LossWord loss;
        return LossWord.unwrap(loss.charged(false, perLongLot).charged(true, perShortLot));
    }
}
