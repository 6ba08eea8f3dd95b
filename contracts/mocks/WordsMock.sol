// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FeedKind} from "../interfaces/IOracle.sol";
import {FeedWord, FeedWordLib} from "../types/FeedWord.sol";
import {PriceWord, PriceWordLib} from "../types/PriceWord.sol";
import {AssetWord, AssetWordLib} from "../types/AssetWord.sol";
import {AccountState} from "../types/AccountState.sol";
import {StaticCallLib} from "../libraries/StaticCallLib.sol";

/// @notice Test only: the packed-word types' constructors and getters as external calls
/// (test/unit/oracle.words.test.ts), and StaticCallLib beside its plain-Solidity equivalent.
contract WordsMock {
    function feedWord(FeedKind kind, uint32 maxAge, uint16 conf, uint16 move, uint8 dec, address feed)
        external
        pure
        returns (uint256 word, FeedKind k, uint32 a, uint16 c, uint16 m, uint8 d, address f)
    {
        FeedWord w = FeedWordLib.from(kind, maxAge, conf, move, dec, feed);
        return (FeedWord.unwrap(w), w.kind(), w.maxAgeSeconds(), w.maxConfBps(), w.maxStableMoveBpsPerHour(),
            w.feedDecimals(), w.feed());
    }

    /// @notice A PriceWord from its fields, and the fields its getters read back
    /// (kind, maxStableMove, expiresAt, stableAt, lastPriceWad, stableWad), and whether it is anchored.
    function priceWord(
        FeedKind kind,
        uint256 move,
        uint256 expiresAt,
        uint256 stableAt,
        uint256 lastPriceWad,
        uint256 stableWad
    ) external pure returns (uint256 word, FeedKind k, uint256[5] memory fields, bool anchored) {
        PriceWord w = PriceWordLib.from(kind, move, expiresAt, stableAt, lastPriceWad, stableWad);
        fields = [w.maxStableMoveBpsPerHour(), w.expiresAt(), w.stableAt(), w.lastPriceWad(), w.stableWad()];
        return (PriceWord.unwrap(w), w.kind(), fields, w.isAnchored());
    }

    /// @notice A raw PriceWord's fields as its getters read them (a word read from the core's storage).
    function priceWordOf(uint256 word) external pure returns (FeedKind k, uint256[5] memory fields, bool anchored) {
        PriceWord w = PriceWord.wrap(word);
        fields = [w.maxStableMoveBpsPerHour(), w.expiresAt(), w.stableAt(), w.lastPriceWad(), w.stableWad()];
        return (w.kind(), fields, w.isAnchored());
    }

    function priceWordWith(uint256 word, uint256 stableWad, uint256 stableAt, uint256 lastPriceWad, uint256 expiresAt)
        external
        pure
        returns (uint256 withStable, uint256 withPrice)
    {
        PriceWord w = PriceWord.wrap(word);
        return (PriceWord.unwrap(w.withStable(stableWad, stableAt)), PriceWord.unwrap(w.withPrice(lastPriceWad, expiresAt)));
    }

    function assetWord(address token, uint8 decimals, uint16 shock, uint16 slippage, uint16 haircut)
        external
        pure
        returns (uint256 word, uint256 lentWord, address t, uint8 d, uint16 s, uint16 sl, uint16 h, bool lent, bool lentSet)
    {
        AssetWord w = AssetWordLib.from(token, decimals, shock, slippage, haircut);
        AssetWord l = w.withLent();
        return (AssetWord.unwrap(w), AssetWord.unwrap(l), l.token(), l.decimals(), l.shockBps(), l.slippageBps(),
            l.lentHaircutBps(), w.lent(), l.lent());
    }

    /// @notice AccountState's getters on a raw word.
    function accountStateView(uint256 word)
        external
        pure
        returns (uint256 held, uint256 owed, uint256 mkts, bool orders, bool withdrawals, bool perp, bool liable, uint256 since)
    {
        AccountState s = AccountState.wrap(word);
        return (s.held(), s.owed(), s.markets(), s.borrowsForOrders(), s.borrowsForWithdrawals(), s.hasPerp(),
            s.liable(), s.liquidatableSince());
    }

    /// @notice AccountState's setters on a raw word: 0 track(a, b), 1 withMarket(a), 2 withoutMarkets(a),
    /// 3 withBorrowPolicy(a & 1, a & 2), 4 withPerp, 5 withoutPerp, 6 withLiquidatableSince(a), 7 withoutAuction.
    function accountStateOp(uint256 word, uint256 op, uint256 a, int256 b) external pure returns (uint256) {
        AccountState s = AccountState.wrap(word);
        if (op == 0) s = s.track(a, b);
        else if (op == 1) s = s.withMarket(a);
        else if (op == 2) s = s.withoutMarkets(a);
        else if (op == 3) s = s.withBorrowPolicy(a & 1 != 0, a & 2 != 0);
        else if (op == 4) s = s.withPerp();
        else if (op == 5) s = s.withoutPerp();
        else if (op == 6) s = s.withLiquidatableSince(a);
        else s = s.withoutAuction();
        return AccountState.unwrap(s);
    }

    /// @notice StaticCallLib.tryStaticCall and its plain-Solidity equivalent (copying the whole
    /// answer), for the test to compare.
    function tryStaticCall(address target, bytes calldata data, uint256 minWords)
        external
        view
        returns (bool ok, uint256[5] memory out, bool okPlain, uint256[5] memory outPlain)
    {
        (ok, out) = StaticCallLib.tryStaticCall(target, data, minWords);
        (bool success, bytes memory ret) = target.staticcall(data);
        okPlain = success && ret.length >= 32 * minWords;
        for (uint256 i; i < 5 && 32 * i < ret.length; ++i) outPlain[i] = uint256(_word(ret, 32 * i));
    }

    /// @dev The 32 bytes of `b` from `at`, zero-padded on the right past its end.
    function _word(bytes memory b, uint256 at) private pure returns (bytes32 r) {
        for (uint256 i; i < 32 && at + i < b.length; ++i) r |= bytes32(b[at + i]) >> (8 * i);
    }
}

/// @notice Test only: answers any call with `size` bytes of a pattern, or reverts.
contract ShapedAnswer {
    uint256 public size;
    bool public reverting;

    function set(uint256 size_, bool reverting_) external {
        (size, reverting) = (size_, reverting_);
    }

    fallback(bytes calldata) external returns (bytes memory out) {
        require(!reverting);
        out = new bytes(size);
        for (uint256 i; i < size; ++i) out[i] = bytes1(uint8(i + 1));
    }
}
