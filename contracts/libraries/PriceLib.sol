// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/interfaces/AggregatorV3Interface.sol";
import {IPyth} from "@pythnetwork/pyth-sdk-solidity/IPyth.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";
import {IOracle, FeedConfig, FeedKind} from "../interfaces/IOracle.sol";
import {FeedWord, FeedWordLib} from "../types/FeedWord.sol";
import {PriceWord, PriceWordLib} from "../types/PriceWord.sol";
import {MathLib} from "./MathLib.sol";
import {StaticCallLib} from "./StaticCallLib.sol";

/// @title PriceLib: each asset's feed, its bounds, its stored price and stable anchor, and every read
/// @notice WAD USD price per whole token from Admin, Chainlink or Pyth feeds. The library owns its
/// `State` (one `Feed` per asset), which the core holds (`ClearinghousePrices`). Each asset's
/// `PriceWord` holds a price with the time it stops being usable, and the stable anchor: an Admin
/// feed's last push, or a Chainlink or Pyth feed's last read from the feed, stored by a write path
/// (`readStored`) and reused while the feed's time of it is at most STORED_MAX_AGE_SECONDS old (or
/// within the second it was read). So
/// a fresh price of any kind is one cold slot. Views answer what a write in the same block would
/// use (`read`: the stored price while usable, else the feed's, storing nothing), so a view and a
/// margin check never disagree. `read` returns the revert data instead of reverting, so `price`
/// and `tryPrice` share one code path and `tryPrice` cannot revert: feeds are called through
/// StaticCallLib (a reverting feed, an address without code or short return data is
/// FeedUnavailable) and every conversion saturates instead of overflowing.
library PriceLib {
    uint256 internal constant BPS = 10_000;
    /// @dev Denominator of the stable-price bound: basis points × seconds per hour.
    uint256 internal constant BPS_HOURS = 10_000 * 3600;
    /// @dev A Chainlink or Pyth price `readStored` stored is reused while the feed's time of it is at
    /// most this old (MegaETH's feeds update far faster); an older one is read from the feed again.
    uint256 internal constant STORED_MAX_AGE_SECONDS = 3;
    /// @dev Hard ceiling on `maxAgeSeconds`.
    uint256 internal constant MAX_AGE_LIMIT = 7 days;
    /// @dev Hard ceiling on a Chainlink feed's decimals.
    uint8 internal constant MAX_FEED_DECIMALS = 36;
    /// @dev Most time counted toward the stable price's allowed move: an anchor left alone
    /// longer allows no more than one hour's move.
    uint256 internal constant MAX_STABLE_ELAPSED_SECONDS = 1 hours;
    /// @dev Ceiling on any feed's maxPriceWad: prices and anchors live in 87 bits of the PriceWord.
    uint256 internal constant MAX_PRICE_WAD = PriceWordLib.MAX_PRICE_WAD;

    // Per-asset state, one `Feed` of four slots:
    //   slot 0 PriceWord: kind, maxStableMoveBpsPerHour, the price with its expiry, the anchor
    //          (every kind; types/PriceWord.sol): all a fresh read needs
    //   slot 1 FeedWord: kind, maxAgeSeconds, maxConfBps, maxStableMoveBpsPerHour, feedDecimals,
    //          feed (Chainlink and Pyth only; types/FeedWord.sol): read only to read the feed
    //   slot 2 Bounds | minPriceWad 96 | maxPriceWad 96 | maxAgeSeconds 32 | (32 free) |
    //   slot 3 pythPriceId                                                      (Pyth only)
    // setFeed caps maxPriceWad at MAX_PRICE_WAD (87 bits, 1.5e8 USD per token), so every stored
    // price and anchor (each within some set of bounds) fits its field.
    struct Bounds {
        uint96 minPriceWad;
        uint96 maxPriceWad;
        uint32 maxAgeSeconds; // every kind's; a Chainlink or Pyth feed's is in its FeedWord too
    }

    struct Feed {
        PriceWord price;
        FeedWord config;
        Bounds bounds;
        bytes32 pythPriceId;
    }

    /// @dev Everything the library owns: one `Feed` per asset.
    struct State {
        mapping(address asset => Feed) feeds;
    }

    // ------------------------------------------------------------------ reads

    /// @notice Oracle and stable price of `asset`; reverts with the feed's error where `tryPrice` answers false.
    function price(State storage s, address asset) internal view returns (uint256 priceWad, uint256 stableWad) {
        PriceWord w = s.feeds[asset].price;
        if (block.timestamp <= w.expiresAt()) return (w.lastPriceWad(), _stableOf(w)); // one slot, no revert data
        bytes memory err;
        (priceWad, stableWad, err) = read(s, asset);
        if (err.length != 0) LowLevelCall.bubbleRevert(err);
    }

    /// @notice `read` without revert data: (false, 0, 0) where `price` would revert; never reverts.
    function tryPrice(State storage s, address asset) internal view returns (bool ok, uint256 priceWad, uint256 stableWad) {
        PriceWord w = s.feeds[asset].price;
        if (block.timestamp <= w.expiresAt()) return (true, w.lastPriceWad(), _stableOf(w));
        if (w.kind() == FeedKind.Admin) return (false, 0, 0); // a stale push: no revert data built
        bytes memory err;
        (priceWad, stableWad, err) = read(s, asset);
        if (err.length != 0) return (false, 0, 0);
        ok = true;
    }

    /// @notice The feed configuration of `asset` as `setFeed` took it (zeros when unset).
    function feedOf(State storage s, address asset) internal view returns (FeedConfig memory cfg) {
        Feed storage e = s.feeds[asset];
        PriceWord w = e.price;
        Bounds memory b = e.bounds;
        cfg.kind = w.kind();
        cfg.maxAgeSeconds = b.maxAgeSeconds;
        cfg.maxStableMoveBpsPerHour = uint16(w.maxStableMoveBpsPerHour()); // safe: a 16-bit field
        if (cfg.kind != FeedKind.Admin) {
            FeedWord c = e.config;
            cfg.feed = c.feed();
            cfg.pythPriceId = e.pythPriceId;
            cfg.maxConfBps = c.maxConfBps();
        }
        cfg.minPriceWad = b.minPriceWad;
        cfg.maxPriceWad = b.maxPriceWad;
    }

    /// @notice The stored stable-price anchor of `asset` and when it was set (zeros when unanchored).
    function stableAnchorOf(State storage s, address asset) internal view returns (uint256 stableWad, uint256 stableAt) {
        PriceWord w = s.feeds[asset].price;
        return (w.stableWad(), w.stableAt());
    }

    /// @notice `tryPrice` for a caller that may write (the core's margin, funding and liquidation
    /// paths): a usable stored price is taken as it is; else a Chainlink or Pyth feed is read and
    /// its price stored with the feed's time, usable while that time is at most
    /// STORED_MAX_AGE_SECONDS old (and within maxAgeSeconds) or within the second it was read, so a
    /// caller acts on what the feed answered at most that long ago and never chooses an older price. A read from the feed also advances the stable anchor
    /// to the stable price now (the bound's move counted since the last anchor, at most an hour's),
    /// so the anchor moves only inside reads; an unanchored feed has no price here either
    /// (`updateStablePrice` anchors it). Answers exactly what `tryPrice` answers in the same block;
    /// never reverts; (false, 0, 0) where `price` would revert, writing nothing.
    function readStored(State storage s, address asset) internal returns (bool ok, uint256 priceWad, uint256 stableWad) {
        Feed storage e = s.feeds[asset];
        PriceWord w = e.price;
        if (block.timestamp <= w.expiresAt()) return (true, w.lastPriceWad(), _stableOf(w));
        FeedKind kind = w.kind();
        if (kind != FeedKind.Chainlink && kind != FeedKind.Pyth) return (false, 0, 0); // a stale push, or no feed
        FeedWord cfg = e.config;
        uint256 feedAt;
        bytes memory err;
        (priceWad, feedAt, err) = _readFeed(asset, e, cfg);
        if (err.length != 0 || !w.isAnchored()) return (false, 0, 0);
        stableWad = _stable(priceWad, w.maxStableMoveBpsPerHour(), w.stableWad(), w.stableAt());
        e.price = _storedRead(w, cfg, stableWad, priceWad, feedAt);
        ok = true;
    }

    /// @notice Oracle and stable price, or the revert data `price` would raise (then both are 0): the
    /// stored price while usable (as `readStored` would take it), else the feed's, storing nothing.
    function read(State storage s, address asset) internal view returns (uint256 priceWad, uint256 stableWad, bytes memory err) {
        Feed storage e = s.feeds[asset];
        PriceWord w = e.price;
        if (block.timestamp <= w.expiresAt()) return (w.lastPriceWad(), _stableOf(w), err);
        if (w.kind() == FeedKind.Admin) {
            // expiresAt = the last push's time (0 before the first) + maxAge
            uint256 maxAge = e.bounds.maxAgeSeconds; // the error path only
            return (0, 0, abi.encodeWithSelector(IOracle.StalePrice.selector, asset, w.expiresAt() - maxAge, maxAge));
        }
        (priceWad,, err) = _readFeed(asset, e, e.config); // NoFeed for a None feed (its config is 0)
        if (err.length != 0) return (0, 0, err);
        // No margin price is unanchored: without an anchor the price is not usable.
        if (!w.isAnchored()) return (0, 0, abi.encodeWithSelector(IOracle.NoStableAnchor.selector, asset));
        stableWad = _stable(priceWad, w.maxStableMoveBpsPerHour(), w.stableWad(), w.stableAt());
    }

    // ------------------------------------------------------------------ keepers

    /// @notice Moves the anchor of `asset` to its stable price now (at most the bounded move); emits
    /// StablePriceUpdated. A Chainlink or Pyth feed is read (even with a usable stored price) and
    /// the read stored, as `readStored` stores one. Reverts as `price` would, but never
    /// NoStableAnchor: an unanchored feed is anchored at its price now, its first good price.
    function updateStablePrice(State storage s, address asset) internal {
        Feed storage e = s.feeds[asset];
        PriceWord w = e.price;
        uint256 stableWad;
        bytes memory err;
        if (w.kind() == FeedKind.Admin) {
            // A fresh push always has its anchor (the first push stores one), so _read's stable
            // price is anchored here.
            (, stableWad, err) = read(s, asset);
            if (err.length != 0) LowLevelCall.bubbleRevert(err);
            // Fits 87 bits: the stable price lies between the anchor and a bounded price.
            e.price = w.withStable(stableWad, block.timestamp);
        } else {
            FeedWord cfg = e.config;
            uint256 priceWad;
            uint256 feedAt;
            (priceWad, feedAt, err) = _readFeed(asset, e, cfg); // NoFeed for a None feed
            if (err.length != 0) LowLevelCall.bubbleRevert(err);
            stableWad = w.isAnchored()
                ? _stable(priceWad, w.maxStableMoveBpsPerHour(), w.stableWad(), w.stableAt())
                : priceWad;
            e.price = _storedRead(w, cfg, stableWad, priceWad, feedAt);
        }
        emit IOracle.StablePriceUpdated(asset, stableWad);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Sets the feed of `asset` (see IOracle.setFeed: what is kept, what anchors).
    function setFeed(State storage s, address asset, FeedConfig calldata cfg) internal {
        uint8 feedDecimals = _validate(asset, cfg);
        Feed storage e = s.feeds[asset];

        (uint256 lastPriceWad, uint256 updatedAt, uint256 anchorWad, uint256 anchorAt) = _kept(e, e.price, cfg);
        // No price without an anchor: a kept push (within bounds, so non-zero) without one
        // becomes the anchor, as of now.
        bool anchorNow = lastPriceWad != 0 && anchorAt == 0;
        if (anchorNow) (anchorWad, anchorAt) = (lastPriceWad, block.timestamp);

        // min ≤ max < 2^87 (_validate): the casts are safe.
        e.bounds = Bounds(uint96(cfg.minPriceWad), uint96(cfg.maxPriceWad), cfg.maxAgeSeconds);
        if (cfg.pythPriceId != e.pythPriceId) e.pythPriceId = cfg.pythPriceId;
        uint256 expiresAt;
        if (cfg.kind == FeedKind.Admin) {
            // updatedAt + maxAge < 2^32 while block times fit 32 bits with a week to spare.
            expiresAt = updatedAt + cfg.maxAgeSeconds;
            if (FeedWord.unwrap(e.config) != 0) e.config = FeedWord.wrap(0);
        } else {
            FeedWord newCfg = FeedWordLib.from(
                cfg.kind, cfg.maxAgeSeconds, cfg.maxConfBps, cfg.maxStableMoveBpsPerHour, feedDecimals, cfg.feed
            );
            e.config = newCfg;
            if (anchorAt == 0) {
                // No anchor survives: the feed's current price, if good, is its first good price
                // and the anchor. Otherwise reads fail NoStableAnchor until updateStablePrice
                // (anyone may call) finds a good price.
                uint256 priceWad = _goodPrice(asset, e, newCfg);
                if (priceWad != 0) (anchorWad, anchorAt, anchorNow) = (priceWad, block.timestamp, true);
            }
            // a new feed never inherits the old one's price: none is stored (expiresAt 0)
        }
        // Both prices fit 87 bits: they lie within bounds whose max is below 2^87.
        e.price = PriceWordLib.from(cfg.kind, cfg.maxStableMoveBpsPerHour, expiresAt, anchorAt, lastPriceWad, anchorWad);
        emit IOracle.FeedSet(asset, cfg);
        if (anchorNow) emit IOracle.StablePriceUpdated(asset, anchorWad);
    }

    /// @dev What a change of feed keeps of the old entry (zeros for what is dropped): a pushed price
    /// is trusted unchecked on the read path, so it survives only an Admin → Admin change inside the
    /// new bounds; an anchor survives inside the new bounds. A stored feed read never survives.
    function _kept(Feed storage e, PriceWord w, FeedConfig calldata cfg)
        private
        view
        returns (uint256 lastPriceWad, uint256 updatedAt, uint256 anchorWad, uint256 anchorAt)
    {
        (anchorWad, anchorAt) = (w.stableWad(), w.stableAt());
        if (w.kind() == FeedKind.Admin && cfg.kind == FeedKind.Admin) {
            lastPriceWad = w.lastPriceWad();
            updatedAt = w.expiresAt() - e.bounds.maxAgeSeconds; // expiresAt = updatedAt + maxAge
            if (!_within(lastPriceWad, cfg.minPriceWad, cfg.maxPriceWad)) (lastPriceWad, updatedAt) = (0, 0);
        }
        if (!_within(anchorWad, cfg.minPriceWad, cfg.maxPriceWad)) (anchorWad, anchorAt) = (0, 0);
    }

    /// @notice Stores an Admin feed's new price (see IOracle.pushPrice).
    function pushPrice(State storage s, address asset, uint256 priceWad) internal {
        Feed storage e = s.feeds[asset];
        PriceWord a = e.price;
        require(a.kind() == FeedKind.Admin, IOracle.NotAdminFeed(asset));
        Bounds memory b = e.bounds;
        require(_within(priceWad, b.minPriceWad, b.maxPriceWad), IOracle.PriceOutOfBounds(asset, priceWad));

        if (a.stableAt() == 0) {
            // The first good price is the anchor: no Admin price is ever read unanchored.
            a = a.withStable(priceWad, block.timestamp);
            emit IOracle.StablePriceUpdated(asset, priceWad);
        } else if (a.expiresAt() != b.maxAgeSeconds) {
            // A previous push exists (updatedAt = expiresAt − maxAge ≠ 0). Anchor first, at the
            // previous push, so a new (possibly pumped) price only moves the stable price from
            // now on, at the bounded rate.
            uint256 anchor = _stable(a.lastPriceWad(), a.maxStableMoveBpsPerHour(), a.stableWad(), a.stableAt());
            a = a.withStable(anchor, block.timestamp); // fits 87 bits: between two stored 87-bit prices
            emit IOracle.StablePriceUpdated(asset, anchor);
        }
        // priceWad ≤ maxPriceWad ≤ MAX_PRICE_WAD (setFeed)
        e.price = a.withPrice(priceWad, block.timestamp + b.maxAgeSeconds);
        emit IOracle.PricePushed(asset, priceWad);
    }

    // ------------------------------------------------------------------ internals

    /// @dev The stable price now of a usable price word: its anchor moved towards its price.
    function _stableOf(PriceWord w) private view returns (uint256) {
        return _stable(w.lastPriceWad(), w.maxStableMoveBpsPerHour(), w.stableWad(), w.stableAt());
    }

    /// @dev The price word after a read from the feed: the anchor at the stable price now, the price
    /// usable until the feed's time + min(STORED_MAX_AGE_SECONDS, maxAgeSeconds), and at least for
    /// the rest of the second it was read in (a feed time already older than that would otherwise
    /// make every later read in the same transaction or second call the feed again for the same
    /// answer; the read passed the staleness check at this second, so it stays within maxAge). A
    /// feed clock ahead of the chain's counts as now, so the stored read still expires. Both prices
    /// fit 87 bits: within bounds whose max is below 2^87 (setFeed).
    function _storedRead(PriceWord w, FeedWord cfg, uint256 stableWad, uint256 priceWad, uint256 feedAt)
        private
        view
        returns (PriceWord)
    {
        if (feedAt > block.timestamp) feedAt = block.timestamp;
        uint256 keep = cfg.maxAgeSeconds();
        if (keep > STORED_MAX_AGE_SECONDS) keep = STORED_MAX_AGE_SECONDS;
        uint256 expiresAt = feedAt + keep;
        if (expiresAt < block.timestamp) expiresAt = block.timestamp;
        return w.withStable(stableWad, block.timestamp).withPrice(priceWad, expiresAt);
    }

    /// @dev The bounded oracle price of a Chainlink or Pyth feed (its config `cfg`), or the revert
    /// data `price` would raise (then 0): NoFeed, the adapter's errors, IOracle.PriceOutOfBounds.
    function _readFeed(address asset, Feed storage e, FeedWord cfg)
        private
        view
        returns (uint256 priceWad, uint256 feedAt, bytes memory err)
    {
        FeedKind kind = cfg.kind();
        if (kind == FeedKind.None) return (0, 0, abi.encodeWithSelector(IOracle.NoFeed.selector, asset));
        (priceWad, feedAt, err) =
            kind == FeedKind.Chainlink ? _readChainlink(asset, cfg) : _readPyth(asset, cfg, e.pythPriceId);
        if (err.length != 0) return (0, 0, err);
        Bounds memory b = e.bounds;
        if (!_within(priceWad, b.minPriceWad, b.maxPriceWad)) {
            return (0, 0, abi.encodeWithSelector(IOracle.PriceOutOfBounds.selector, asset, priceWad));
        }
    }

    /// @dev The feed's bounded price, or 0 where `read` would fail (a bounded price is never 0).
    function _goodPrice(address asset, Feed storage e, FeedWord cfg) private view returns (uint256 priceWad) {
        (priceWad,,) = _readFeed(asset, e, cfg);
    }

    /// @dev latestRoundData → answer × 10^(18 − decimals), and its updatedAt.
    function _readChainlink(address asset, FeedWord cfg)
        private
        view
        returns (uint256 priceWad, uint256 updatedAt, bytes memory err)
    {
        address feed = cfg.feed();
        // the five words of (roundId, answer, startedAt, updatedAt, answeredInRound), taken as raw words
        (bool ok, uint256[5] memory w) = StaticCallLib.tryStaticCall(
            feed, abi.encodeWithSelector(AggregatorV3Interface.latestRoundData.selector), 5
        );
        if (!ok) return (0, 0, abi.encodeWithSelector(IOracle.FeedUnavailable.selector, asset, feed));
        updatedAt = w[3];
        if (_isStale(updatedAt, cfg.maxAgeSeconds())) {
            return (0, 0, abi.encodeWithSelector(IOracle.StalePrice.selector, asset, updatedAt, cfg.maxAgeSeconds()));
        }
        int256 answer = int256(w[1]); // the ABI word of an int256, reinterpreted
        if (answer <= 0) return (0, 0, abi.encodeWithSelector(IOracle.NonPositivePrice.selector, asset, answer));
        // decimals ≤ 36 (setFeed), so the shift is in [−18, 18].
        priceWad = _scale(uint256(answer), 18 - int256(uint256(cfg.feedDecimals())));
    }

    /// @dev getPriceUnsafe → price × 10^(18 + expo) and its publishTime; confidence checked in the
    /// feed's own units.
    function _readPyth(address asset, FeedWord cfg, bytes32 id)
        private
        view
        returns (uint256 priceWad, uint256 publishTime, bytes memory err)
    {
        address feed = cfg.feed();
        // the four words of the Price struct (price, conf, expo, publishTime), taken as raw words
        (bool ok, uint256[5] memory w) =
            StaticCallLib.tryStaticCall(feed, abi.encodeWithSelector(IPyth.getPriceUnsafe.selector, id), 4);
        (int256 p, uint256 conf, int256 expo) = (int256(w[0]), w[1], int256(w[2]));
        publishTime = w[3];
        // Words outside their declared ABI types (int64, uint64, int32) mean a malformed answer.
        ok = ok && p >= type(int64).min && p <= type(int64).max && conf <= type(uint64).max
            && expo >= type(int32).min && expo <= type(int32).max;
        if (!ok) return (0, 0, abi.encodeWithSelector(IOracle.FeedUnavailable.selector, asset, feed));
        if (_isStale(publishTime, cfg.maxAgeSeconds())) {
            return (0, 0, abi.encodeWithSelector(IOracle.StalePrice.selector, asset, publishTime, cfg.maxAgeSeconds()));
        }
        if (p <= 0) return (0, 0, abi.encodeWithSelector(IOracle.NonPositivePrice.selector, asset, p));
        int256 shift = 18 + expo;
        priceWad = _scale(uint256(p), shift);
        // conf / price > maxConfBps / 1e4  ⇔  conf × 1e4 > price × maxConfBps: exact, no
        // rounding (both share the exponent); < 2^78 each, no overflow.
        if (conf * BPS > uint256(p) * cfg.maxConfBps()) {
            return (0, 0, abi.encodeWithSelector(IOracle.ConfidenceTooWide.selector, asset, _scale(conf, shift), priceWad));
        }
    }

    /// @dev Stable price from the anchor towards `oracleWad`: clamp(oracle, anchor ± maxMove), the
    /// move counting at most MAX_STABLE_ELAPSED_SECONDS since the anchor. Callers pass a stored
    /// anchor (stableAt ≠ 0): every read checks or guarantees one.
    function _stable(uint256 oracleWad, uint256 maxMoveBpsPerHour, uint256 anchor, uint256 stableAt)
        private
        view
        returns (uint256)
    {
        // Unchecked (Atlas reads this for every asset): stableAt ≤ now always (a past block time),
        // the counted age ≤ 3600 < 2^12, anchor < 2^96 and bps < 2^16, so the product stays below
        // 2^124, maxMove ≤ 6.6 × anchor and anchor + maxMove below 2^99; lower is guarded.
        unchecked {
            uint256 elapsed = block.timestamp - stableAt;
            if (elapsed > MAX_STABLE_ELAPSED_SECONDS) elapsed = MAX_STABLE_ELAPSED_SECONDS;
            // Rounded down: the stable price moves at most the bound, never more (favours the
            // protocol: initial margin stays on the conservative side of a pump or a crash).
            uint256 maxMove = MathLib.mulDivDownUnchecked(anchor * maxMoveBpsPerHour, elapsed, BPS_HOURS);
            uint256 lower = maxMove >= anchor ? 0 : anchor - maxMove;
            uint256 upper = anchor + maxMove;
            return oracleWad < lower ? lower : oracleWad > upper ? upper : oracleWad;
        }
    }

    /// @dev Older than maxAge seconds; a timestamp in the future (feed clock ahead) counts as fresh.
    function _isStale(uint256 updatedAt, uint256 maxAge) private view returns (bool) {
        return block.timestamp > updatedAt && block.timestamp - updatedAt > maxAge;
    }

    function _within(uint256 x, uint256 lo, uint256 hi) private pure returns (bool) {
        return x >= lo && x <= hi;
    }

    /// @dev value × 10^shift, saturating at 2^256 − 1 (then out of bounds) instead of reverting.
    function _scale(uint256 value, int256 shift) private pure returns (uint256) {
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

    /// @dev Rejects nonsense (see IOracle.setFeed); returns a Chainlink feed's decimals.
    function _validate(address asset, FeedConfig calldata cfg) private view returns (uint8 feedDecimals) {
        bool ok = asset != address(0) && cfg.maxAgeSeconds != 0 && cfg.maxAgeSeconds <= MAX_AGE_LIMIT
            && cfg.maxStableMoveBpsPerHour != 0 && cfg.minPriceWad != 0 && cfg.minPriceWad <= cfg.maxPriceWad
            && cfg.maxPriceWad <= MAX_PRICE_WAD;
        if (cfg.kind == FeedKind.Admin) {
            ok = ok && cfg.feed == address(0) && cfg.pythPriceId == 0 && cfg.maxConfBps == 0;
        } else if (cfg.kind == FeedKind.Chainlink) {
            ok = ok && cfg.feed.code.length != 0 && cfg.pythPriceId == 0 && cfg.maxConfBps == 0;
            if (ok) {
                // decimals() tolerantly: a revert or a short answer is just not ok, a large one too big
                (bool called, uint256[5] memory w) = StaticCallLib.tryStaticCall(
                    cfg.feed, abi.encodeWithSelector(AggregatorV3Interface.decimals.selector), 1
                );
                ok = called && w[0] <= MAX_FEED_DECIMALS;
                feedDecimals = uint8(w[0]); // safe when ok: ≤ 36
            }
        } else if (cfg.kind == FeedKind.Pyth) {
            ok = ok && cfg.feed.code.length != 0 && cfg.pythPriceId != 0 && cfg.maxConfBps != 0
                && cfg.maxConfBps <= BPS;
        } else {
            ok = false;
        }
        require(ok, IOracle.InvalidFeedConfig(asset));
    }
}
