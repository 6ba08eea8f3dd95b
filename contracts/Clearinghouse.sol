// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IClearinghouse, SpotMarketParams} from "./interfaces/IClearinghouse.sol";
import {ISpotMarket} from "./interfaces/ISpotMarket.sol";
import {AccountId, AccountIdLib} from "./types/AccountId.sol";
import {SpotMarketDeployer} from "./SpotMarketDeployer.sol";

/// @title Clearinghouse: one vault, one account per trader, every market settles here
/// @notice Invariant (docs/INVARIANTS.md, I1): for every token, the vault's balance equals
/// Σ account balances + Σ market pockets (locked + unswept) + Σ market fees not yet collected
/// + reserve, exactly: markets only move amounts between these buckets.
contract Clearinghouse is IClearinghouse, AccessManaged, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    SpotMarketDeployer public immutable SPOT_DEPLOYER;
    bytes32 public immutable SPOT_INIT_CODE_HASH;

    mapping(AccountId account => mapping(address token => uint256 atoms)) internal _balances;
    mapping(AccountId account => mapping(address operator => bool)) internal _operators;
    mapping(address token => bool) internal _listed;
    mapping(address token => uint256 atoms) internal _reserve;
    address[] internal _markets;
    address public treasury;

    constructor(address authority, SpotMarketDeployer spotDeployer, address treasury_) AccessManaged(authority) {
        require(treasury_ != address(0), ZeroAddress());
        SPOT_DEPLOYER = spotDeployer;
        SPOT_INIT_CODE_HASH = spotDeployer.INIT_CODE_HASH();
        treasury = treasury_;
    }

    // ------------------------------------------------------------------ accounts

    /// @inheritdoc IClearinghouse
    function deposit(address token, uint8 sub, uint256 amount) external nonReentrant {
        require(amount != 0, ZeroAmount());
        require(_listed[token], AssetNotListed(token));
        IERC20 t = IERC20(token);
        uint256 before = t.balanceOf(address(this));
        t.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = t.balanceOf(address(this)) - before;
        require(received == amount, TransferShortfall(token, amount, received));
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        _balances[acct][token] += amount;
        emit Deposited(acct, token, amount);
    }

    /// @inheritdoc IClearinghouse
    function withdraw(address token, uint8 sub, uint256 amount, address to) external nonReentrant {
        require(amount != 0, ZeroAmount());
        require(to != address(0), ZeroAddress());
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        _debit(acct, token, amount);
        IERC20(token).safeTransfer(to, amount);
        emit Withdrawn(acct, token, amount, to);
    }

    /// @inheritdoc IClearinghouse
    function transfer(address token, uint8 fromSub, uint8 toSub, uint256 amount) external nonReentrant {
        require(amount != 0, ZeroAmount());
        require(fromSub != toSub, SameAccount());
        AccountId from = AccountIdLib.from(msg.sender, fromSub);
        AccountId to = AccountIdLib.from(msg.sender, toSub);
        _debit(from, token, amount);
        _balances[to][token] += amount;
        emit Transferred(from, to, token, amount);
    }

    /// @inheritdoc IClearinghouse
    function setOperator(uint8 sub, address operator, bool approved) external {
        require(operator != address(0), ZeroAddress());
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        _operators[acct][operator] = approved;
        emit OperatorSet(acct, operator, approved);
    }

    /// @inheritdoc IClearinghouse
    function isOperator(AccountId account, address operator) external view returns (bool) {
        return _operators[account][operator];
    }

    /// @inheritdoc IClearinghouse
    function balanceOf(AccountId account, address token) external view returns (uint256) {
        return _balances[account][token];
    }

    // ------------------------------------------------------------------ markets

    /// @inheritdoc IClearinghouse
    function settle(
        uint256 index,
        address base,
        address quote,
        AccountId account,
        int256 baseDelta,
        int256 quoteDelta
    ) external {
        _onlyMarket(index, base, quote);
        if (baseDelta != 0) _apply(account, base, baseDelta);
        if (quoteDelta != 0) _apply(account, quote, quoteDelta);
    }

    /// @inheritdoc IClearinghouse
    function creditReserve(uint256 index, address base, address quote, uint256 quoteAmount) external {
        _onlyMarket(index, base, quote);
        _reserve[quote] += quoteAmount;
        emit ReserveCredited(quote, quoteAmount);
    }

    function _apply(AccountId account, address token, int256 delta) internal {
        if (delta > 0) _balances[account][token] += uint256(delta);
        else _debit(account, token, uint256(-delta));
    }

    function _debit(AccountId account, address token, uint256 amount) internal {
        uint256 bal = _balances[account][token];
        require(bal >= amount, InsufficientBalance(token, amount, bal));
        unchecked {
            _balances[account][token] = bal - amount;
        }
    }

    /// @dev A market is authentic iff it sits at the CREATE2 address the deployer would give
    /// (index, base, quote): a hash instead of a storage read on every settlement.
    function _onlyMarket(uint256 index, address base, address quote) internal view {
        require(msg.sender == _spotAddress(index, base, quote), NotMarket(msg.sender));
    }

    function _spotAddress(uint256 index, address base, address quote) internal view returns (address) {
        bytes32 salt = keccak256(abi.encode(index, base, quote));
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(SPOT_DEPLOYER), salt, SPOT_INIT_CODE_HASH))))
        );
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IClearinghouse
    function listAsset(address token) external restricted {
        require(token != address(0), ZeroAddress());
        require(!_listed[token], AssetAlreadyListed(token));
        _listed[token] = true;
        emit AssetListed(token, IERC20Metadata(token).decimals());
    }

    /// @inheritdoc IClearinghouse
    function createSpotMarket(SpotMarketParams calldata p) external restricted returns (uint256 index, address market) {
        require(_listed[p.base], AssetNotListed(p.base));
        require(_listed[p.quote], AssetNotListed(p.quote));
        require(
            p.base != p.quote && p.lotSize != 0 && p.tickSize != 0 && p.minLots != 0 && p.minLots < (1 << 48)
                && p.maxMakerFeeBps <= 100,
            InvalidMarketParams()
        );
        index = _markets.length + 1; // index 0 is never a market, so an order id is never 0
        market = SPOT_DEPLOYER.deploy(index, p);
        _markets.push(market);
        emit SpotMarketCreated(index, market, p);
    }

    /// @inheritdoc IClearinghouse
    function setMarketPaused(uint256 index, bool paused) external restricted {
        ISpotMarket(_market(index)).setPaused(paused);
    }

    /// @inheritdoc IClearinghouse
    function setAllPaused(bool paused) external restricted {
        for (uint256 i; i < _markets.length; ++i) {
            ISpotMarket(_markets[i]).setPaused(paused);
        }
    }

    /// @inheritdoc IClearinghouse
    function setMarketFees(uint256 index, int16 makerFeeBps, uint16 takerFeeBps) external restricted {
        ISpotMarket(_market(index)).setFees(makerFeeBps, takerFeeBps);
    }

    /// @inheritdoc IClearinghouse
    function setTreasury(address treasury_) external restricted {
        require(treasury_ != address(0), ZeroAddress());
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @inheritdoc IClearinghouse
    function withdrawReserve(address token, uint256 amount) external restricted nonReentrant {
        uint256 r = _reserve[token];
        require(r >= amount, InsufficientReserve(token, amount, r));
        _reserve[token] = r - amount;
        IERC20(token).safeTransfer(treasury, amount);
        emit ReserveWithdrawn(token, amount, treasury);
    }

    function _market(uint256 index) internal view returns (address) {
        require(index != 0 && index <= _markets.length, UnknownMarket(index));
        return _markets[index - 1];
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IClearinghouse
    function reserveOf(address token) external view returns (uint256) {
        return _reserve[token];
    }

    /// @inheritdoc IClearinghouse
    function marketCount() external view returns (uint256) {
        return _markets.length;
    }

    /// @inheritdoc IClearinghouse
    function marketAt(uint256 index) external view returns (address) {
        return _market(index);
    }

    /// @inheritdoc IClearinghouse
    function isListed(address token) external view returns (bool) {
        return _listed[token];
    }
}
