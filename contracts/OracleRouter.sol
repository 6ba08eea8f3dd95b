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
    /// @notice Most time counted toward the stable price's allowed move: an anchor left alone
    /// longer allows no more than one hour's move.
    uint256 public constant MAX_STABLE_ELAPSED_SECONDS = 1 hours;

    // Per-asset state, fields from the least significant bit up. Slot 0 (`head`) depends on
    // the kind, which its two low bits always give:
    //   slot 0 head, Chainlink / Pyth / None (the Feed struct):
    //     | kind 8 | maxAgeSeconds 32 | maxConfBps 16 | maxStableMoveBpsPerHour 16 |
    //     | feedDecimals 8 | feed 160 |                                             (240 bits)
    //   slot 0 head, Admin (everything `price` needs, so an Admin read is one cold slot):
    //     | kind 2 | maxStableMoveBpsPerHour 16 | expiresAt 32 | stableAt 32 |
    //     | lastPriceWad 87 | stableWad 87 |                                       (256 bits)
    //     expiresAt = updatedAt + maxAgeSeconds (updatedAt = 0 before the first push), so the
    //     price is stale exactly when now > expiresAt; stableAt = 0 means no anchor yet, which
    //     only a head without a push can have (the first push anchors, see pushPrice).
    //   slot 1 Bounds | minPriceWad 96 | maxPriceWad 96 | maxAgeSeconds 32 | (32 free) |
    //   slot 2 Quote  | stableWad 96 | stableAt 32 |        (the anchor; Chainlink and Pyth only)
    //   slot 3 pythPriceId                                                      (Pyth only)
    // 96 bits hold any price up to 7.9e10 USD per token and 87 bits up to 1.5e8 USD; setFeed
    // caps maxPriceWad there (2^87 − 1 for Admin feeds), so every stored price and anchor
    // (each within some set of bounds) fits its field.
    struct Feed {
        FeedKind kind;
        uint32 maxAgeSeconds;
        uint16 maxConfBps;
        uint16 maxStableMoveBpsPerHour;
        uint8 feedDecimals; // Chainlink only, cached at setFeed
        address feed;
    }

    struct Bounds {
        uint96 minPriceWad;
        uint96 maxPriceWad;
        uint32 maxAgeSeconds; // read from here for Admin feeds (their head has no room)
    }

    struct Quote {
        uint96 stableWad; // stable-price anchor
        uint32 stableAt; // when the anchor was stored; 0 = no anchor yet
    }

    struct Entry {
        uint256 head;
        Bounds bounds;
        Quote quote;
        bytes32 pythPriceId;
    }

    /// @dev The Admin head's fields: the stored price, its expiry and the stable anchor.
    struct AdminHead {
        uint256 maxMoveBpsPerHour;
        uint256 expiresAt;
        uint256 stableAt;
        uint256 lastPriceWad;
        uint256 stableWad;
    }

    uint256 internal constant KIND_MASK = 3;
    uint256 internal constant M87 = 2 ** 87 - 1;
    uint256 internal constant ADMIN = uint256(uint8(FeedKind.Admin));
    /// @notice Ceiling on an Admin feed's maxPriceWad: its prices live in 87 bits of the head.
    uint256 public constant MAX_ADMIN_PRICE_WAD = 2 ** 87 - 1;

    mapping(address asset => Entry) internal _entries;

    constructor(address authority) AccessManaged(authority) {}

    // ------------------------------------------------------------------ reads

    /// @inheritdoc IOracleRouter
    function price(address asset) external view returns (uint256 priceWad, uint256 stableWad) {
        uint256 head = _entries[asset].head;
        if (head & KIND_MASK == ADMIN && block.timestamp <= (head >> 18) & type(uint32).max) {
            return ((head >> 82) & M87, _adminStable(head)); // fresh Admin price: one slot, no revert data
        }
        bytes memory err;
        (priceWad, stableWad, err) = _read(asset);
        if (err.length != 0) _revert(err);
    }

    /// @inheritdoc IOracleRouter
    function tryPrice(address asset) external view returns (bool ok, uint256 priceWad, uint256 stableWad) {
        return _tryPrice(asset);
    }

    /// @inheritdoc IOracleRouter
    function tryPrices(address[] calldata assets) external view returns (uint256[] memory words) {
        // the return data is built in place and returned as it is, without the encoder's copy of every
        // word (this is ATLAS's read of every price): one word is allocated for its offset, and `words`,
        // allocated next, lands right after it
        assembly ("memory-safe") {
            mstore(0x40, add(mload(0x40), 0x20))
        }
        words = new uint256[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            address asset;
            assembly ("memory-safe") {
                // i < length, and the decoder checked that the array lies within the calldata; the
                // upper bits are cleared rather than checked (a dirty word reads as its low 160 bits)
                asset := and(calldataload(add(assets.offset, shl(5, i))), 0xffffffffffffffffffffffffffffffffffffffff)
            }
            (bool ok, uint256 p, uint256 s) = _tryPrice(asset);
            // every stored price and anchor fits 96 bits (setFeed caps maxPriceWad), so both fit 127
            if (ok) {
                assembly ("memory-safe") {
                    mstore(add(words, shl(5, add(i, 1))), or(or(p, shl(128, s)), shl(255, 1))) // i < length
                }
            }
        }
        assembly ("memory-safe") {
            let head := sub(words, 0x20)
            mstore(head, 0x20)
            return(head, add(shl(5, mload(words)), 0x40))
        }
    }

    function _tryPrice(address asset) internal view returns (bool ok, uint256 priceWad, uint256 stableWad) {
        uint256 head = _entries[asset].head;
        if (head & KIND_MASK == ADMIN) {
            // The Admin path of _read without building revert data (this is Atlas's hot read).
            if (block.timestamp > (head >> 18) & type(uint32).max) return (false, 0, 0);
            return (true, (head >> 82) & M87, _adminStable(head));
        }
        bytes memory err;
        (priceWad, stableWad, err) = _read(asset);
        if (err.length != 0) return (false, 0, 0);
        ok = true;
    }

    /// @inheritdoc IOracleRouter
    function feedOf(address asset) external view returns (FeedConfig memory cfg) {
        Entry storage e = _entries[asset];
        uint256 head = e.head;
        Bounds memory b = e.bounds;
        if (head & KIND_MASK == ADMIN) {
            cfg.kind = FeedKind.Admin;
            cfg.maxAgeSeconds = b.maxAgeSeconds;
            cfg.maxStableMoveBpsPerHour = uint16(_unpackAdmin(head).maxMoveBpsPerHour); // safe: a 16-bit field
        } else {
            Feed memory f = _unpackFeed(head);
            cfg.kind = f.kind;
            cfg.feed = f.feed;
            cfg.pythPriceId = e.pythPriceId;
            cfg.maxAgeSeconds = f.maxAgeSeconds;
            cfg.maxConfBps = f.maxConfBps;
            cfg.maxStableMoveBpsPerHour = f.maxStableMoveBpsPerHour;
        }
        cfg.minPriceWad = b.minPriceWad;
        cfg.maxPriceWad = b.maxPriceWad;
    }

    /// @inheritdoc IOracleRouter
    function stableAnchorOf(address asset) external view returns (uint256 stableWad, uint256 stableAt) {
        Entry storage e = _entries[asset];
        uint256 head = e.head;
        if (head & KIND_MASK == ADMIN) {
            AdminHead memory a = _unpackAdmin(head);
            return (a.stableWad, a.stableAt);
        }
        Quote memory q = e.quote;
        return (q.stableWad, q.stableAt);
    }

    // ------------------------------------------------------------------ keepers

    /// @inheritdoc IOracleRouter
    function updateStablePrice(address asset) external {
        Entry storage e = _entries[asset];
        uint256 head = e.head;
        uint256 stableWad;
        bytes memory err;
        if (head & KIND_MASK == ADMIN) {
            // A fresh push always has its anchor (the first push stores one), so _read's stable
            // price is anchored here.
            (, stableWad, err) = _read(asset);
            if (err.length != 0) _revert(err);
            AdminHead memory a = _unpackAdmin(head);
            // Fits 87 bits: the stable price lies between the anchor and a bounded price.
            a.stableWad = stableWad;
            a.stableAt = block.timestamp;
            e.head = _packAdmin(a);
        } else {
            uint256 priceWad;
            (priceWad, err) = _readFeed(asset, e, head);
            if (err.length != 0) _revert(err);
            Quote memory q = e.quote;
            // An unanchored feed (setFeed found no good price) is anchored at its first good price.
            stableWad = q.stableAt == 0
                ? priceWad
                : _stable(priceWad, _unpackFeed(head).maxStableMoveBpsPerHour, q.stableWad, q.stableAt);
            // toUint96 cannot fail: the stable price lies between the anchor and a bounded price.
            e.quote = Quote(stableWad.toUint96(), block.timestamp.toUint32());
        }
        emit StablePriceUpdated(asset, stableWad);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IOracleRouter
    function setFeed(address asset, FeedConfig calldata cfg) external restricted {
        uint8 feedDecimals = _validate(asset, cfg);
        Entry storage e = _entries[asset];
        uint256 head = e.head;
        bool wasAdmin = head & KIND_MASK == ADMIN;

        (uint256 lastPriceWad, uint256 updatedAt, uint256 anchorWad, uint256 anchorAt) = _kept(e, head, cfg);
        // No price without an anchor: a kept push (within bounds, so non-zero) without one
        // becomes the anchor, as of now.
        bool anchorNow = lastPriceWad != 0 && anchorAt == 0;
        if (anchorNow) (anchorWad, anchorAt) = (lastPriceWad, block.timestamp);

        // min ≤ max < 2^96 (_validate): the casts are safe.
        e.bounds = Bounds(uint96(cfg.minPriceWad), uint96(cfg.maxPriceWad), cfg.maxAgeSeconds);
        if (cfg.kind == FeedKind.Admin) {
            // updatedAt + maxAge < 2^32 while block times fit 32 bits with a week to spare.
            e.head = _packAdmin(
                AdminHead(cfg.maxStableMoveBpsPerHour, updatedAt + cfg.maxAgeSeconds, anchorAt, lastPriceWad, anchorWad)
            );
            if (!wasAdmin && e.quote.stableAt != 0) delete e.quote;
            if (cfg.pythPriceId != e.pythPriceId) e.pythPriceId = cfg.pythPriceId;
        } else {
            uint256 newHead = _packFeed(
                Feed(cfg.kind, cfg.maxAgeSeconds, cfg.maxConfBps, cfg.maxStableMoveBpsPerHour, feedDecimals, cfg.feed)
            );
            e.head = newHead;
            if (cfg.pythPriceId != e.pythPriceId) e.pythPriceId = cfg.pythPriceId;
            if (anchorAt == 0) {
                // No anchor survives: the feed's current price, if good, is its first good price
                // and the anchor. Otherwise reads fail NoStableAnchor until updateStablePrice
                // (anyone may call) finds a good price.
                (uint256 priceWad, bytes memory err) = _readFeed(asset, e, newHead);
                if (err.length == 0) (anchorWad, anchorAt, anchorNow) = (priceWad, block.timestamp, true);
            }
            // The anchor fits 96 bits: it lies within bounds whose max is below 2^96.
            Quote memory q = Quote(uint96(anchorWad), uint32(anchorAt));
            if (wasAdmin || q.stableAt != e.quote.stableAt) e.quote = q;
        }
        emit FeedSet(asset, cfg);
        if (anchorNow) emit StablePriceUpdated(asset, anchorWad);
    }

    /// @dev What a change of feed keeps of the old entry, wherever its kind kept it (zeros for
    /// what is dropped): a pushed price is trusted unchecked on the read path, so it survives only
    /// an Admin → Admin change inside the new bounds; an anchor survives inside the new bounds.
    function _kept(Entry storage e, uint256 head, FeedConfig calldata cfg)
        internal
        view
        returns (uint256 lastPriceWad, uint256 updatedAt, uint256 anchorWad, uint256 anchorAt)
    {
        bool wasAdmin = head & KIND_MASK == ADMIN;
        if (wasAdmin) {
            AdminHead memory a = _unpackAdmin(head);
            lastPriceWad = a.lastPriceWad;
            updatedAt = a.expiresAt - e.bounds.maxAgeSeconds; // expiresAt = updatedAt + maxAge
            (anchorWad, anchorAt) = (a.stableWad, a.stableAt);
        } else {
            Quote memory q = e.quote;
            (anchorWad, anchorAt) = (q.stableWad, q.stableAt);
        }
        bool keepPush = wasAdmin && cfg.kind == FeedKind.Admin && _within(lastPriceWad, cfg.minPriceWad, cfg.maxPriceWad);
        if (!keepPush) (lastPriceWad, updatedAt) = (0, 0);
        if (!_within(anchorWad, cfg.minPriceWad, cfg.maxPriceWad)) (anchorWad, anchorAt) = (0, 0);
    }

    /// @inheritdoc IOracleRouter
    function pushPrice(address asset, uint256 priceWad) external restricted {
        Entry storage e = _entries[asset];
        uint256 head = e.head;
        require(head & KIND_MASK == ADMIN, NotAdminFeed(asset));
        Bounds memory b = e.bounds;
        require(_within(priceWad, b.minPriceWad, b.maxPriceWad), PriceOutOfBounds(asset, priceWad));

        AdminHead memory a = _unpackAdmin(head);
        if (a.stableAt == 0) {
            // The first good price is the anchor: no Admin price is ever read unanchored.
            a.stableWad = priceWad;
            a.stableAt = block.timestamp;
            emit StablePriceUpdated(asset, priceWad);
        } else if (a.expiresAt != b.maxAgeSeconds) {
            // A previous push exists (updatedAt = expiresAt − maxAge ≠ 0). Anchor first, at the
            // previous push, so a new (possibly pumped) price only moves the stable price from
            // now on, at the bounded rate.
            uint256 anchor = _stable(a.lastPriceWad, a.maxMoveBpsPerHour, a.stableWad, a.stableAt);
            a.stableWad = anchor; // fits 87 bits: between two stored 87-bit prices
            a.stableAt = block.timestamp;
            emit StablePriceUpdated(asset, anchor);
        }
        a.lastPriceWad = priceWad; // ≤ maxPriceWad ≤ MAX_ADMIN_PRICE_WAD (setFeed)
        a.expiresAt = block.timestamp + b.maxAgeSeconds;
        e.head = _packAdmin(a);
        emit PricePushed(asset, priceWad);
    }

    // ------------------------------------------------------------------ internals

    /// @dev Oracle and stable price, or the revert data `price` would raise (then both are 0).
    function _read(address asset) internal view returns (uint256 priceWad, uint256 stableWad, bytes memory err) {
        Entry storage e = _entries[asset];
        uint256 head = e.head;
        if (head & KIND_MASK == ADMIN) {
            // One slot: bounds were checked at push and the staleness is in expiresAt.
            uint256 expiresAt = (head >> 18) & type(uint32).max;
            if (block.timestamp > expiresAt) {
                uint256 maxAge = e.bounds.maxAgeSeconds; // the error path only
                return (0, 0, abi.encodeWithSelector(StalePrice.selector, asset, expiresAt - maxAge, maxAge));
            }
            return ((head >> 82) & M87, _adminStable(head), err);
        }
        (priceWad, err) = _readFeed(asset, e, head);
        if (err.length != 0) return (0, 0, err);
        Quote memory q = e.quote;
        // No margin price is unanchored: without an anchor the price is not usable.
        if (q.stableAt == 0) return (0, 0, abi.encodeWithSelector(NoStableAnchor.selector, asset));
        stableWad = _stable(priceWad, (head >> 56) & type(uint16).max, q.stableWad, q.stableAt); // maxStableMoveBpsPerHour
    }

    /// @dev The bounded oracle price of a Chainlink or Pyth feed (head not Admin), or the revert
    /// data `price` would raise (then 0): NoFeed, the adapter's errors, PriceOutOfBounds.
    function _readFeed(address asset, Entry storage e, uint256 head) internal view returns (uint256 priceWad, bytes memory err) {
        Feed memory f = _unpackFeed(head);
        if (f.kind == FeedKind.None) return (0, abi.encodeWithSelector(NoFeed.selector, asset));
        (priceWad, err) = f.kind == FeedKind.Chainlink ? _readChainlink(asset, f) : _readPyth(asset, f, e.pythPriceId);
        if (err.length != 0) return (0, err);
        Bounds memory b = e.bounds;
        if (!_within(priceWad, b.minPriceWad, b.maxPriceWad)) {
            return (0, abi.encodeWithSelector(PriceOutOfBounds.selector, asset, priceWad));
        }
    }

    /// @dev The stable price of an Admin head: its anchor moved towards its pushed price.
    function _adminStable(uint256 head) internal view returns (uint256) {
        return _stable((head >> 82) & M87, (head >> 2) & type(uint16).max, head >> 169, (head >> 50) & type(uint32).max);
    }

    function _unpackAdmin(uint256 head) internal pure returns (AdminHead memory a) {
        a.maxMoveBpsPerHour = (head >> 2) & type(uint16).max;
        a.expiresAt = (head >> 18) & type(uint32).max;
        a.stableAt = (head >> 50) & type(uint32).max;
        a.lastPriceWad = (head >> 82) & M87;
        a.stableWad = head >> 169;
    }

    /// @dev Packs an Admin head; every field must fit its width (SafeCast checks the times).
    function _packAdmin(AdminHead memory a) internal pure returns (uint256) {
        return ADMIN | uint256(a.maxMoveBpsPerHour.toUint16()) << 2 | uint256(a.expiresAt.toUint32()) << 18
            | uint256(a.stableAt.toUint32()) << 50 | _fit87(a.lastPriceWad) << 82 | _fit87(a.stableWad) << 169;
    }

    function _fit87(uint256 x) internal pure returns (uint256) {
        require(x <= M87, SafeCast.SafeCastOverflowedUintDowncast(87, x));
        return x;
    }

    function _unpackFeed(uint256 head) internal pure returns (Feed memory f) {
        f.kind = FeedKind(uint8(head)); // head & 3 ≠ Admin here and setFeed stores only 0, 2 or 3
        f.maxAgeSeconds = uint32(head >> 8);
        f.maxConfBps = uint16(head >> 40);
        f.maxStableMoveBpsPerHour = uint16(head >> 56);
        f.feedDecimals = uint8(head >> 72);
        f.feed = address(uint160(head >> 80));
    }

    function _packFeed(Feed memory f) internal pure returns (uint256) {
        return uint256(uint8(f.kind)) | uint256(f.maxAgeSeconds) << 8 | uint256(f.maxConfBps) << 40
            | uint256(f.maxStableMoveBpsPerHour) << 56 | uint256(f.feedDecimals) << 72 | uint256(uint160(f.feed)) << 80;
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

    /// @dev Stable price from the anchor towards `oracleWad`: clamp(oracle, anchor ± maxMove), the
    /// move counting at most MAX_STABLE_ELAPSED_SECONDS since the anchor. Callers pass a stored
    /// anchor (stableAt ≠ 0): every read checks or guarantees one.
    function _stable(uint256 oracleWad, uint256 maxMoveBpsPerHour, uint256 anchor, uint256 stableAt)
        internal
        view
        returns (uint256)
    {
        // Rounded down: the stable price moves at most the bound, never more (favours the
        // protocol: initial margin stays on the conservative side of a pump or a crash).
        // Unchecked (Atlas reads this for every asset): stableAt ≤ now always (a past block time),
        // the counted age ≤ 3600 < 2^12, anchor < 2^96 and bps < 2^16, so the product stays below
        // 2^124, maxMove ≤ 6.6 × anchor and anchor + maxMove below 2^99; lower is guarded.
        unchecked {
            uint256 elapsed = block.timestamp - stableAt;
            if (elapsed > MAX_STABLE_ELAPSED_SECONDS) elapsed = MAX_STABLE_ELAPSED_SECONDS;
            uint256 maxMove = anchor * maxMoveBpsPerHour * elapsed / BPS_HOURS;
            uint256 lower = maxMove >= anchor ? 0 : anchor - maxMove;
            uint256 upper = anchor + maxMove;
            return oracleWad < lower ? lower : oracleWad > upper ? upper : oracleWad;
        }
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
            ok = ok && cfg.feed == address(0) && cfg.pythPriceId == 0 && cfg.maxConfBps == 0
                && cfg.maxPriceWad <= MAX_ADMIN_PRICE_WAD;
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
