// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/interfaces/AggregatorV3Interface.sol";
import {IPyth} from "@pythnetwork/pyth-sdk-solidity/IPyth.sol";
import {IOracleRouter, FeedConfig, FeedKind} from "./interfaces/IOracleRouter.sol";

/// @title OracleRouter: WAD USD price per whole token from Admin, Chainlink or Pyth feeds
/// @notice Every read goes through `_read`, which returns the revert data instead of reverting,
/// so `price` and `tryPrice` share one code path and `tryPrice` cannot revert: feeds are called
/// with a raw `staticcall` (a reverting feed, an address without code or short return data is
/// FeedUnavailable) and every conversion saturates instead of overflowing.
contract OracleRouter is IOracleRouter, AccessManaged {
    using SafeCast for uint256;

    uint256 internal constant BPS = 10_000;
    /// @dev Denominator of the stable-price bound: basis points × seconds per hour.
    uint256 internal constant BPS_HOURS = 10_000 * 3600;
    /// @notice Hard ceiling on `maxAgeSeconds`.
    uint256 public constant MAX_AGE_LIMIT = 7 days;
    /// @notice Hard ceiling on a Chainlink feed's decimals.
    uint8 public constant MAX_FEED_DECIMALS = 36;

    // Per-asset state: four slots, fields from the least significant bit up.
    //   slot 0 Feed   | kind 8 | maxAgeSeconds 32 | maxConfBps 16 | maxStableMoveBpsPerHour 16 |
    //                 | feedDecimals 8 | feed 160 |                                  (240 bits)
    //   slot 1 Bounds | minPriceWad 128 | maxPriceWad 128 |
    //   slot 2 Quote  | lastPriceWad 96 | updatedAt 32 | stableWad 96 | stableAt 32 |
    //   slot 3 pythPriceId                                              (Pyth only)
    // An Admin read touches slots 0 and 2 only: its price was bounds-checked when pushed.
    // 96 bits hold any price up to 7.9e10 USD per token; setFeed caps maxPriceWad there, so
    // every stored price and anchor (each within some set of bounds) fits.
    struct Feed {
        FeedKind kind;
        uint32 maxAgeSeconds;
        uint16 maxConfBps;
        uint16 maxStableMoveBpsPerHour;
        uint8 feedDecimals; // Chainlink only, cached at setFeed
        address feed;
    }

    struct Bounds {
        uint128 minPriceWad;
        uint128 maxPriceWad;
    }

    struct Quote {
        uint96 lastPriceWad; // Admin only: the last pushed price
        uint32 updatedAt; // Admin only: when it was pushed
        uint96 stableWad; // stable-price anchor
        uint32 stableAt; // when the anchor was stored; 0 = no anchor yet
    }

    struct Entry {
        Feed feed;
        Bounds bounds;
        Quote quote;
        bytes32 pythPriceId;
    }

    mapping(address asset => Entry) internal _entries;

    constructor(address authority) AccessManaged(authority) {}

    // ------------------------------------------------------------------ reads

    /// @inheritdoc IOracleRouter
    function price(address asset) external view returns (uint256 priceWad, uint256 stableWad) {
        bytes memory err;
        (priceWad, stableWad, err) = _read(asset);
        if (err.length != 0) _revert(err);
    }

    /// @inheritdoc IOracleRouter
    function tryPrice(address asset) external view returns (bool ok, uint256 priceWad, uint256 stableWad) {
        bytes memory err;
        (priceWad, stableWad, err) = _read(asset);
        if (err.length != 0) return (false, 0, 0);
        ok = true;
    }

    /// @inheritdoc IOracleRouter
    function feedOf(address asset) external view returns (FeedConfig memory cfg) {
        Entry storage e = _entries[asset];
        Feed memory f = e.feed;
        Bounds memory b = e.bounds;
        cfg = FeedConfig({
            kind: f.kind,
            feed: f.feed,
            pythPriceId: e.pythPriceId,
            maxAgeSeconds: f.maxAgeSeconds,
            maxConfBps: f.maxConfBps,
            maxStableMoveBpsPerHour: f.maxStableMoveBpsPerHour,
            minPriceWad: b.minPriceWad,
            maxPriceWad: b.maxPriceWad
        });
    }

    /// @inheritdoc IOracleRouter
    function stableAnchorOf(address asset) external view returns (uint256 stableWad, uint256 stableAt) {
        Quote memory q = _entries[asset].quote;
        return (q.stableWad, q.stableAt);
    }

    // ------------------------------------------------------------------ keepers

    /// @inheritdoc IOracleRouter
    function updateStablePrice(address asset) external {
        (, uint256 stableWad, bytes memory err) = _read(asset);
        if (err.length != 0) _revert(err);
        Entry storage e = _entries[asset];
        Quote memory q = e.quote;
        // toUint96 cannot fail: the stable price lies between the anchor and a bounded price.
        e.quote = Quote(q.lastPriceWad, q.updatedAt, stableWad.toUint96(), block.timestamp.toUint32());
        emit StablePriceUpdated(asset, stableWad);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IOracleRouter
    function setFeed(address asset, FeedConfig calldata cfg) external restricted {
        uint8 feedDecimals = _validate(asset, cfg);
        Entry storage e = _entries[asset];
        FeedKind oldKind = e.feed.kind;
        e.feed = Feed(
            cfg.kind, cfg.maxAgeSeconds, cfg.maxConfBps, cfg.maxStableMoveBpsPerHour, feedDecimals, cfg.feed
        );
        e.bounds = Bounds(cfg.minPriceWad, cfg.maxPriceWad);
        if (cfg.pythPriceId != e.pythPriceId) e.pythPriceId = cfg.pythPriceId;

        // A pushed price is trusted unchecked on the read path, so it must satisfy the new
        // bounds and still come from an Admin feed; an anchor outside the new bounds is dropped
        // so the stable price restarts from the oracle.
        Quote memory q = e.quote;
        bool keepPush = oldKind == FeedKind.Admin && cfg.kind == FeedKind.Admin
            && _within(q.lastPriceWad, cfg.minPriceWad, cfg.maxPriceWad);
        bool keepAnchor = _within(q.stableWad, cfg.minPriceWad, cfg.maxPriceWad);
        if ((!keepPush && q.updatedAt != 0) || (!keepAnchor && q.stableAt != 0)) {
            e.quote = Quote(
                keepPush ? q.lastPriceWad : 0,
                keepPush ? q.updatedAt : 0,
                keepAnchor ? q.stableWad : 0,
                keepAnchor ? q.stableAt : 0
            );
        }
        emit FeedSet(asset, cfg);
    }

    /// @inheritdoc IOracleRouter
    function pushPrice(address asset, uint256 priceWad) external restricted {
        Entry storage e = _entries[asset];
        Feed memory f = e.feed;
        require(f.kind == FeedKind.Admin, NotAdminFeed(asset));
        Bounds memory b = e.bounds;
        require(_within(priceWad, b.minPriceWad, b.maxPriceWad), PriceOutOfBounds(asset, priceWad));

        Quote memory q = e.quote;
        uint32 nowTs = block.timestamp.toUint32();
        if (q.updatedAt != 0) {
            // Anchor first, at the previous push, so a new (possibly pumped) price only moves
            // the stable price from now on, at the bounded rate.
            uint256 anchor = _stable(q.lastPriceWad, f.maxStableMoveBpsPerHour, q);
            q.stableWad = anchor.toUint96(); // cannot fail: between two stored 96-bit prices
            q.stableAt = nowTs;
            emit StablePriceUpdated(asset, anchor);
        }
        // toUint96 cannot fail: priceWad ≤ maxPriceWad < 2^96 (setFeed).
        e.quote = Quote(priceWad.toUint96(), nowTs, q.stableWad, q.stableAt);
        emit PricePushed(asset, priceWad);
    }

    // ------------------------------------------------------------------ internals

    /// @dev Oracle and stable price, or the revert data `price` would raise (then both are 0).
    function _read(address asset) internal view returns (uint256 priceWad, uint256 stableWad, bytes memory err) {
        Entry storage e = _entries[asset];
        Feed memory f = e.feed;
        if (f.kind == FeedKind.Admin) {
            Quote memory q = e.quote;
            if (_isStale(q.updatedAt, f.maxAgeSeconds)) {
                return (0, 0, abi.encodeWithSelector(StalePrice.selector, asset, q.updatedAt, f.maxAgeSeconds));
            }
            // Bounds were checked at push (the bounds slot is not read).
            return (q.lastPriceWad, _stable(q.lastPriceWad, f.maxStableMoveBpsPerHour, q), err);
        }
        if (f.kind == FeedKind.None) return (0, 0, abi.encodeWithSelector(NoFeed.selector, asset));
        (priceWad, err) = f.kind == FeedKind.Chainlink ? _readChainlink(asset, f) : _readPyth(asset, f, e.pythPriceId);
        if (err.length != 0) return (0, 0, err);
        Bounds memory b = e.bounds;
        if (!_within(priceWad, b.minPriceWad, b.maxPriceWad)) {
            return (0, 0, abi.encodeWithSelector(PriceOutOfBounds.selector, asset, priceWad));
        }
        stableWad = _stable(priceWad, f.maxStableMoveBpsPerHour, e.quote);
    }

    /// @dev latestRoundData → answer × 10^(18 − decimals).
    function _readChainlink(address asset, Feed memory f) internal view returns (uint256 priceWad, bytes memory err) {
        (bool ok, uint256 answerWord, uint256 updatedAt) = _latestRound(f.feed);
        if (!ok) return (0, abi.encodeWithSelector(FeedUnavailable.selector, asset, f.feed));
        if (_isStale(updatedAt, f.maxAgeSeconds)) {
            return (0, abi.encodeWithSelector(StalePrice.selector, asset, updatedAt, f.maxAgeSeconds));
        }
        int256 answer = int256(answerWord); // the ABI word of an int256, reinterpreted
        if (answer <= 0) return (0, abi.encodeWithSelector(NonPositivePrice.selector, asset, answer));
        // decimals ≤ 36 (setFeed), so the shift is in [−18, 18].
        priceWad = _scale(uint256(answer), 18 - int256(uint256(f.feedDecimals)));
    }

    /// @dev getPriceUnsafe → price × 10^(18 + expo); confidence checked in the feed's own units.
    function _readPyth(address asset, Feed memory f, bytes32 id) internal view returns (uint256 priceWad, bytes memory err) {
        (bool ok, int256 p, uint256 conf, int256 expo, uint256 publishTime) = _pythPrice(f.feed, id);
        // Words outside their declared ABI types (int64, uint64, int32) mean a malformed answer.
        ok = ok && p >= type(int64).min && p <= type(int64).max && conf <= type(uint64).max
            && expo >= type(int32).min && expo <= type(int32).max;
        if (!ok) return (0, abi.encodeWithSelector(FeedUnavailable.selector, asset, f.feed));
        if (_isStale(publishTime, f.maxAgeSeconds)) {
            return (0, abi.encodeWithSelector(StalePrice.selector, asset, publishTime, f.maxAgeSeconds));
        }
        if (p <= 0) return (0, abi.encodeWithSelector(NonPositivePrice.selector, asset, p));
        int256 shift = 18 + expo;
        priceWad = _scale(uint256(p), shift);
        // conf / price > maxConfBps / 1e4  ⇔  conf × 1e4 > price × maxConfBps: exact, no
        // rounding (both share the exponent); < 2^78 each, no overflow.
        if (conf * BPS > uint256(p) * f.maxConfBps) {
            return (0, abi.encodeWithSelector(ConfidenceTooWide.selector, asset, _scale(conf, shift), priceWad));
        }
    }

    /// @dev Stable price from the anchor in `q` towards `oracleWad`: clamp(oracle, anchor ± maxMove).
    function _stable(uint256 oracleWad, uint256 maxMoveBpsPerHour, Quote memory q) internal view returns (uint256) {
        if (q.stableAt == 0) return oracleWad;
        uint256 anchor = q.stableWad;
        // Rounded down: the stable price moves at most the bound, never more (favours the
        // protocol: initial margin stays on the conservative side of a pump or a crash).
        // stableAt ≤ now always (it is a past block time); < 2^96 × 2^16 × 2^64, no overflow.
        uint256 maxMove = anchor * maxMoveBpsPerHour * (block.timestamp - q.stableAt) / BPS_HOURS;
        uint256 lower = maxMove >= anchor ? 0 : anchor - maxMove;
        uint256 upper = anchor + maxMove;
        return oracleWad < lower ? lower : oracleWad > upper ? upper : oracleWad;
    }

    /// @dev Older than maxAge seconds; a timestamp in the future (feed clock ahead) counts as fresh.
    function _isStale(uint256 updatedAt, uint256 maxAge) internal view returns (bool) {
        return block.timestamp > updatedAt && block.timestamp - updatedAt > maxAge;
    }

    function _within(uint256 x, uint256 lo, uint256 hi) internal pure returns (bool) {
        return x >= lo && x <= hi;
    }

    /// @dev value × 10^shift, saturating at 2^256 − 1 (then out of bounds) instead of reverting.
    function _scale(uint256 value, int256 shift) internal pure returns (uint256) {
        if (value == 0) return 0;
        if (shift >= 0) {
            if (shift > 77) return type(uint256).max;
            uint256 factor = 10 ** uint256(shift);
            return value > type(uint256).max / factor ? type(uint256).max : value * factor;
        }
        if (shift < -77) return 0;
        // Rounded down: only feeds quoting finer than 1e-18 USD get here, and the loss is below
        // one unit of WAD resolution (either side of a margin calculation).
        return value / 10 ** uint256(-shift);
    }

    /// @dev latestRoundData by raw staticcall: copies exactly five words, never reverts.
    function _latestRound(address feed) internal view returns (bool ok, uint256 answer, uint256 updatedAt) {
        bytes4 sel = AggregatorV3Interface.latestRoundData.selector;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, sel)
            // Two statements: Yul evaluates arguments right to left, so returndatasize() must
            // follow the call.
            ok := staticcall(gas(), feed, ptr, 4, ptr, 0xa0)
            ok := and(ok, gt(returndatasize(), 0x9f))
            answer := mload(add(ptr, 0x20))
            updatedAt := mload(add(ptr, 0x60))
        }
    }

    /// @dev decimals() by raw staticcall: a revert, short or oversized answer is just `false`/large.
    function _decimals(address feed) internal view returns (bool ok, uint256 d) {
        bytes4 sel = AggregatorV3Interface.decimals.selector;
        assembly ("memory-safe") {
            mstore(0, sel)
            ok := staticcall(gas(), feed, 0, 4, 0, 0x20)
            ok := and(ok, gt(returndatasize(), 0x1f))
            d := mload(0)
        }
    }

    /// @dev getPriceUnsafe(id) by raw staticcall: copies exactly four words, never reverts.
    function _pythPrice(address pyth, bytes32 id)
        internal
        view
        returns (bool ok, int256 p, uint256 conf, int256 expo, uint256 publishTime)
    {
        bytes4 sel = IPyth.getPriceUnsafe.selector;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, sel)
            mstore(add(ptr, 4), id)
            ok := staticcall(gas(), pyth, ptr, 0x24, ptr, 0x80)
            ok := and(ok, gt(returndatasize(), 0x7f))
            p := mload(ptr)
            conf := mload(add(ptr, 0x20))
            expo := mload(add(ptr, 0x40))
            publishTime := mload(add(ptr, 0x60))
        }
    }

    /// @dev Rejects nonsense (see IOracleRouter.setFeed); returns a Chainlink feed's decimals.
    function _validate(address asset, FeedConfig calldata cfg) internal view returns (uint8 feedDecimals) {
        bool ok = asset != address(0) && cfg.maxAgeSeconds != 0 && cfg.maxAgeSeconds <= MAX_AGE_LIMIT
            && cfg.maxStableMoveBpsPerHour != 0 && cfg.minPriceWad != 0 && cfg.minPriceWad <= cfg.maxPriceWad
            && cfg.maxPriceWad <= type(uint96).max;
        if (cfg.kind == FeedKind.Admin) {
            ok = ok && cfg.feed == address(0) && cfg.pythPriceId == 0 && cfg.maxConfBps == 0;
        } else if (cfg.kind == FeedKind.Chainlink) {
            ok = ok && cfg.feed.code.length != 0 && cfg.pythPriceId == 0 && cfg.maxConfBps == 0;
            if (ok) {
                (bool called, uint256 d) = _decimals(cfg.feed);
                ok = called && d <= MAX_FEED_DECIMALS;
                feedDecimals = uint8(d); // safe when ok: d ≤ 36
            }
        } else if (cfg.kind == FeedKind.Pyth) {
            ok = ok && cfg.feed.code.length != 0 && cfg.pythPriceId != 0 && cfg.maxConfBps != 0
                && cfg.maxConfBps <= BPS;
        } else {
            ok = false;
        }
        require(ok, InvalidFeedConfig(asset));
    }

    function _revert(bytes memory err) internal pure {
        assembly ("memory-safe") {
            revert(add(err, 0x20), mload(err))
        }
    }
}
