// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Where an asset's price comes from. `None` means the asset has no feed.
enum FeedKind {
    None,
    Admin,
    Chainlink,
    Pyth
}

/// @notice Per-asset oracle configuration, set by governance.
/// @param kind Adapter: Admin (pushed by `pushPrice`), Chainlink (AggregatorV3) or Pyth.
/// @param feed Chainlink aggregator or Pyth contract; zero for Admin.
/// @param pythPriceId Pyth price id; zero for the other kinds.
/// @param maxAgeSeconds A price older than this is stale (at exactly this age it is still fresh).
/// @param maxConfBps Pyth only: widest accepted confidence interval as a share of the price;
///        zero for the other kinds (they report no confidence).
/// @param maxStableMoveBpsPerHour Largest move of the stable price per hour, as a share of its
///        anchor (linear in the time since the anchor was stored, counting at most one hour).
/// @param minPriceWad Sanity floor, WAD USD per whole token (> 0).
/// @param maxPriceWad Sanity ceiling, WAD USD per whole token (at most 2⁸⁷ − 1, about 1.5e8 USD:
///        every price and anchor lives in 87 bits of the asset's one price slot).
struct FeedConfig {
    FeedKind kind;
    address feed;
    bytes32 pythPriceId;
    uint32 maxAgeSeconds;
    uint16 maxConfBps;
    uint16 maxStableMoveBpsPerHour;
    uint128 minPriceWad;
    uint128 maxPriceWad;
}

/// @title IOracle: the core's prices, one USD price per asset plus a manipulation-resistant stable price
/// @notice Prices are WAD (1e18) USD per WHOLE token (not per atom): 1 WETH at $3,000 is 3000e18
/// whatever WETH's decimals. `price` reverts on a missing, stale, out-of-bounds or too uncertain
/// price; `tryPrice` never reverts and reports `ok = false` instead. Callers use `price` for every
/// action that adds risk and `tryPrice` for actions that must never be blocked (deposits,
/// repayments) and for views.
/// The stable price follows the oracle at a bounded rate (Mango v4's defence after its 2022
/// oracle pump): from a stored anchor it moves at most `maxStableMoveBpsPerHour` of the anchor per
/// hour towards the oracle, counting at most one hour since the anchor. Every feed is anchored from
/// its first good price (at `setFeed`, the first `pushPrice`, or `updateStablePrice`); a feed
/// without an anchor has no usable price (`NoStableAnchor`). Initial margin uses the more
/// conservative of the two.
/// The core holds every feed (`PriceLib`). A Chainlink or Pyth price read from its feed is stored
/// with the feed's time and reused while that time is at most 3 s old; the core's writes store
/// such reads and its views answer what a write in the same block would use (the stored read
/// while fresh, else the feed's). So a caller acts on a price at most 3 s older than its feed's
/// time, and can never choose an older one.
interface IOracle {
    // ---- errors ----
    /// @notice The asset has no feed.
    error NoFeed(address asset);
    /// @notice The latest price is older than the asset's `maxAgeSeconds`.
    error StalePrice(address asset, uint256 updatedAt, uint256 maxAgeSeconds);
    /// @notice The price lies outside the asset's sanity bounds [minPriceWad, maxPriceWad].
    error PriceOutOfBounds(address asset, uint256 priceWad);
    /// @notice Pyth's confidence interval is wider than `maxConfBps` of the price.
    error ConfidenceTooWide(address asset, uint256 confWad, uint256 priceWad);
    /// @notice The feed reported a price of zero or below (raw, in the feed's own units).
    error NonPositivePrice(address asset, int256 rawPrice);
    /// @notice The feed call reverted or returned too little data.
    error FeedUnavailable(address asset, address feed);
    /// @notice The configuration is zero, inconsistent or outside its hard bounds.
    error InvalidFeedConfig(address asset);
    /// @notice `pushPrice` was called for an asset whose feed is not an Admin feed.
    error NotAdminFeed(address asset);
    /// @notice The feed has no stable-price anchor yet (it had no good price when set):
    ///         `updateStablePrice` (anyone may call) anchors it at its first good price.
    error NoStableAnchor(address asset);

    // ---- events ----
    event FeedSet(address indexed asset, FeedConfig cfg);
    event PricePushed(address indexed asset, uint256 priceWad);
    event StablePriceUpdated(address indexed asset, uint256 stableWad);

    // ---- reads ----
    /// @notice The asset's oracle price and stable price, WAD USD per whole token.
    /// @dev Reverts NoFeed, StalePrice, NonPositivePrice, PriceOutOfBounds, ConfidenceTooWide
    ///      (Pyth), FeedUnavailable or NoStableAnchor (a good Chainlink or Pyth price before the
    ///      feed's first anchor; an Admin push is always anchored). A usable price (an Admin push,
    ///      or a Chainlink or Pyth read a write path stored) is one storage slot and no call; else
    ///      the feed is read (storing nothing: a view).
    function price(address asset) external view returns (uint256 priceWad, uint256 stableWad);

    /// @notice As `price`, but never reverts: `ok` is false (and both prices 0) whenever `price`
    ///         would revert.
    function tryPrice(address asset) external view returns (bool ok, uint256 priceWad, uint256 stableWad);

    /// @notice The asset's configuration as set (kind None and zeros when it has no feed).
    function feedOf(address asset) external view returns (FeedConfig memory);

    /// @notice The stored stable-price anchor; (0, 0) before the first anchor.
    function stableAnchorOf(address asset) external view returns (uint256 stableWad, uint256 stableAt);

    // ---- keepers ----
    /// @notice Stores the current stable price as the new anchor (anyone may call); a feed without
    ///         an anchor is anchored at its current price, its first good price. A Chainlink or
    ///         Pyth feed's price is read from the feed and stored, as a margin path's read stores it.
    /// @dev Reverts as `price` does when the oracle price is bad (but never NoStableAnchor), so a
    ///      bad price never moves the anchor. The allowed move accrues from the anchor's time for
    ///      at most one hour, so keepers should call it at least hourly for the stable price to
    ///      keep following the oracle; much more often compounds the bound slightly (see
    ///      docs/ORACLES.md).
    function updateStablePrice(address asset) external;

    // ---- governance (through the AccessManager) ----
    /// @notice Sets or replaces an asset's feed. Reverts InvalidFeedConfig on a zero asset, kind
    ///         None, zero maxAge (or above 7 days), min = 0, min > max, max ≥ 2⁸⁷, zero
    ///         maxStableMove, a missing or superfluous feed / price id / confidence bound for the
    ///         kind, a feed without code, or a Chainlink feed whose `decimals()` fails or exceeds 36.
    /// @dev Chainlink decimals are read once here and cached. A pushed Admin price survives only
    ///      an Admin → Admin change and only if it lies within the new bounds; the stable anchor
    ///      survives if it lies within the new bounds. Without a surviving anchor, the feed is
    ///      anchored at once at its current price when that is good (a kept Admin push, or a good
    ///      Chainlink or Pyth read, logged `StablePriceUpdated`); otherwise at its first good price
    ///      (Admin: the first push; Chainlink, Pyth: `updateStablePrice`).
    function setFeed(address asset, FeedConfig calldata cfg) external;

    /// @notice Pushes a price for an Admin feed (local chains and tests). Moves the stable anchor
    ///         to the stable price of the previous push first (the first push of a feed without an
    ///         anchor is the anchor), then stores `priceWad` as of now.
    /// @dev Reverts NotAdminFeed for other kinds and PriceOutOfBounds outside the sanity bounds,
    ///      which is why reading an Admin feed skips the bounds slot.
    function pushPrice(address asset, uint256 priceWad) external;
}
