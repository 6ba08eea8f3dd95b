// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "../types/AccountId.sol";

/// @notice Parameters of a spot market, fixed at listing except the fees.
/// @param base Token bought and sold (sizes are lots of `lotSize` base atoms).
/// @param quote Token prices are paid in (a price is `tick * tickSize` quote atoms per lot).
/// @param lotSize Base atoms per lot.
/// @param tickSize Quote atoms per lot per tick.
/// @param minLots Smallest order size in lots.
/// @param makerFeeBps Maker fee in basis points; negative is a rebate (at most the taker fee).
/// @param takerFeeBps Taker fee in basis points.
/// @param maxMakerFeeBps Hard upper bound on the maker fee for this market's life; bids lock
///        this much fee on top of their cost so a fee change can never under-fund a bid.
struct SpotMarketParams {
    address base;
    address quote;
    uint128 lotSize;
    uint128 tickSize;
    uint64 minLots;
    int16 makerFeeBps;
    uint16 takerFeeBps;
    uint16 maxMakerFeeBps;
}

/// @title Clearinghouse: the one vault and the one account per trader
/// @notice Holds every listed token for every account; markets settle into it.
/// Balances are in each token's own atoms. Funds committed to a market (locked behind
/// resting orders, or fill proceeds not yet swept) live in that market's pocket for the
/// account and are not part of the balance here.
interface IClearinghouse {
    // ---- errors ----
    /// @notice The token is not listed.
    error AssetNotListed(address token);
    /// @notice The token is listed already.
    error AssetAlreadyListed(address token);
    /// @notice An amount of zero was given.
    error ZeroAmount();
    /// @notice A zero address was given where an address is needed.
    error ZeroAddress();
    /// @notice The token delivered less than asked (fee-on-transfer tokens are refused).
    error TransferShortfall(address token, uint256 expected, uint256 received);
    /// @notice The account's free balance is smaller than the amount asked for.
    error InsufficientBalance(address token, uint256 requested, uint256 available);
    /// @notice The caller is not a market deployed by this Clearinghouse.
    error NotMarket(address caller);
    /// @notice From and to sub-accounts are the same.
    error SameAccount();
    /// @notice A market parameter is zero, inconsistent or out of its hard bounds.
    error InvalidMarketParams();
    /// @notice No market has this index.
    error UnknownMarket(uint256 index);
    /// @notice The reserve holds less of the token than asked for.
    error InsufficientReserve(address token, uint256 requested, uint256 available);

    // ---- events ----
    event AssetListed(address indexed token, uint8 decimals);
    event Deposited(AccountId indexed account, address indexed token, uint256 amount);
    event Withdrawn(AccountId indexed account, address indexed token, uint256 amount, address to);
    event Transferred(AccountId indexed from, AccountId indexed to, address token, uint256 amount);
    event OperatorSet(AccountId indexed account, address indexed operator, bool approved);
    event SpotMarketCreated(uint256 indexed index, address market, SpotMarketParams params);
    event ReserveCredited(address indexed token, uint256 amount);
    event ReserveWithdrawn(address indexed token, uint256 amount, address treasury);
    event TreasurySet(address treasury);

    // ---- accounts ----
    /// @notice Deposits `amount` of a listed `token` from the caller into sub-account `sub`.
    /// @dev Refuses tokens that deliver less than `amount` (TransferShortfall).
    function deposit(address token, uint8 sub, uint256 amount) external;

    /// @notice Withdraws free balance to `to`. Owner only; operators may not withdraw.
    /// @dev Works while markets are paused. Proceeds still in a market pocket must be swept first.
    function withdraw(address token, uint8 sub, uint256 amount, address to) external;

    /// @notice Moves free balance between two of the caller's own sub-accounts.
    function transfer(address token, uint8 fromSub, uint8 toSub, uint256 amount) external;

    /// @notice Approves or revokes an operator (agent key) that may trade, but never withdraw
    ///         or transfer, for the caller's sub-account `sub`.
    function setOperator(uint8 sub, address operator, bool approved) external;

    /// @notice Whether `operator` may trade for `account`.
    function isOperator(AccountId account, address operator) external view returns (bool);

    /// @notice Free balance of `account` in `token`, in token atoms.
    function balanceOf(AccountId account, address token) external view returns (uint256);

    // ---- markets (called by markets only) ----
    /// @notice Applies a market's signed balance changes for `account`.
    /// @dev Authorised by recomputing the caller's CREATE2 address from (index, base, quote):
    ///      no registry read. A debit beyond the free balance reverts InsufficientBalance.
    function settle(
        uint256 index,
        address base,
        address quote,
        AccountId account,
        int256 baseDelta,
        int256 quoteDelta
    ) external;

    /// @notice Moves fees a market collected (already held by this vault) into the reserve.
    function creditReserve(uint256 index, address base, address quote, uint256 quoteAmount) external;

    // ---- governance (through the AccessManager) ----
    /// @notice Lists an ERC20 for deposits and markets.
    function listAsset(address token) external;

    /// @notice Deploys and lists a spot market; returns its index and address.
    function createSpotMarket(SpotMarketParams calldata params) external returns (uint256 index, address market);

    /// @notice Pauses or resumes placing and taking on one market (guardian).
    function setMarketPaused(uint256 index, bool paused) external;

    /// @notice Pauses or resumes every market (guardian).
    function setAllPaused(bool paused) external;

    /// @notice Changes a market's fees within its hard bounds.
    function setMarketFees(uint256 index, int16 makerFeeBps, uint16 takerFeeBps) external;

    /// @notice Sets where reserve withdrawals go.
    function setTreasury(address treasury) external;

    /// @notice Sends reserve fees to the treasury (and only there).
    function withdrawReserve(address token, uint256 amount) external;

    // ---- views ----
    function reserveOf(address token) external view returns (uint256);
    function marketCount() external view returns (uint256);
    function marketAt(uint256 index) external view returns (address);
    function isListed(address token) external view returns (bool);
    function treasury() external view returns (address);
}
