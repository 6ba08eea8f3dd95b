// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ILendingCore} from "../interfaces/ILendingCore.sol";
import {RateModel} from "../interfaces/ILending.sol";
import {LendingLib} from "../libraries/LendingLib.sol";

/// @notice Test only: the lending part of a core that holds the pools, as the one core will —
/// `mapping(address token => LendingLib.State)`, each pool's cash in this contract's token balance,
/// one lock — serving `ILendingCore` to each asset's LendingVault, plus what margin accounts do to a
/// pool (supply, borrow, repay) for anyone, so the wrapper's tests can lend cash out and back
/// (test/unit/lending.vault.test.ts).
contract LendingCoreMock is ILendingCore, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using LendingLib for LendingLib.State;

    mapping(address token => LendingLib.State) internal _pools;
    mapping(address token => address vault) public vaultOf;
    /// @notice Supply shares of margin accounts (not outside lenders), per account and token.
    mapping(address account => mapping(address token => uint256 shares)) public accountSharesOf;
    /// @notice Borrow shares per account and token.
    mapping(address account => mapping(address token => uint256 shares)) public borrowSharesOf;

    // ------------------------------------------------------------------ set-up (test only)

    function listPool(
        address token,
        address vault,
        RateModel calldata model,
        uint16 reserveFactorBps,
        uint256 supplyCapAssets,
        uint256 borrowCapAssets
    ) external {
        vaultOf[token] = vault;
        _pools[token].init(model, reserveFactorBps, supplyCapAssets, borrowCapAssets);
    }

    function setFrozen(address token, bool frozen) external {
        _pools[token].setFrozen(frozen);
    }

    // ------------------------------------------------------------------ margin accounts (test only)

    /// @notice A margin account's lent deposit: its shares are not the outside lenders'.
    function supplyAsAccount(address token, uint256 assets) external nonReentrant returns (uint256 shares) {
        LendingLib.Snapshot memory s = _pools[token].accrued();
        bool ok;
        (shares, ok) = _pools[token].supply(s, assets);
        if (!ok) revert SupplyRefused(assets, _pools[token].maxSupply(s));
        _pools[token].write(s);
        accountSharesOf[msg.sender][token] += shares;
        _pullExact(token, msg.sender, assets);
    }

    function borrow(address token, uint256 assets, address to) external nonReentrant returns (uint256 shares) {
        LendingLib.Snapshot memory s = _pools[token].accrued();
        shares = _pools[token].borrow(s, assets);
        _pools[token].write(s);
        borrowSharesOf[msg.sender][token] += shares;
        IERC20(token).safeTransfer(to, assets);
    }

    function repay(address token, uint256 shares) external nonReentrant returns (uint256 assets) {
        LendingLib.Snapshot memory s = _pools[token].accrued();
        assets = LendingLib.repay(s, shares);
        _pools[token].write(s);
        borrowSharesOf[msg.sender][token] -= shares;
        _pullExact(token, msg.sender, assets);
    }

    // ------------------------------------------------------------------ ILendingCore

    /// @inheritdoc ILendingCore
    function supplyFromVault(address token, uint256 assets) external nonReentrant returns (uint256 shares) {
        LendingLib.State storage pool = _vaultPool(token, assets);
        LendingLib.Snapshot memory s = pool.accrued();
        bool ok;
        (shares, ok) = pool.supply(s, assets);
        if (!ok) revert SupplyRefused(assets, pool.maxSupply(s));
        pool.write(s);
        pool.outsideShares += uint128(shares); // safe: outsideShares ≤ supplyShares < 2^128
        _pullExact(token, msg.sender, assets);
    }

    /// @inheritdoc ILendingCore
    function mintFromVault(address token, uint256 shares) external nonReentrant returns (uint256 assets) {
        LendingLib.State storage pool = _vaultPool(token, shares);
        LendingLib.Snapshot memory s = pool.accrued();
        bool ok;
        (assets, ok) = pool.mintShares(s, shares);
        if (!ok) revert SupplyRefused(shares, pool.maxSupply(s));
        pool.write(s);
        pool.outsideShares += uint128(shares); // safe: outsideShares ≤ supplyShares < 2^128
        _pullExact(token, msg.sender, assets);
    }

    /// @inheritdoc ILendingCore
    function redeemToVault(address token, uint256 shares, address receiver)
        external
        nonReentrant
        returns (uint256 assets)
    {
        LendingLib.State storage pool = _vaultPool(token, shares);
        require(!pool.limits.frozen, Frozen());
        LendingLib.Snapshot memory s = pool.accrued();
        assets = pool.redeem(s, shares); // InsufficientCash
        _burnOutside(pool, shares);
        pool.write(s);
        IERC20(token).safeTransfer(receiver, assets);
    }

    /// @inheritdoc ILendingCore
    function withdrawToVault(address token, uint256 assets, address receiver)
        external
        nonReentrant
        returns (uint256 shares)
    {
        LendingLib.State storage pool = _vaultPool(token, assets);
        require(!pool.limits.frozen, Frozen());
        LendingLib.Snapshot memory s = pool.accrued();
        shares = pool.withdraw(s, assets); // InsufficientCash
        _burnOutside(pool, shares);
        pool.write(s);
        IERC20(token).safeTransfer(receiver, assets);
    }

    /// @inheritdoc ILendingCore
    function lendingSupplyOf(address token)
        external
        view
        returns (
            uint256 supplyAssets,
            uint256 supplyShares,
            uint256 outsideShares,
            uint256 cash,
            uint256 maxSupply,
            bool frozen
        )
    {
        LendingLib.State storage pool = _pools[token];
        LendingLib.Snapshot memory s = pool.accrued();
        return (
            LendingLib.supplyAssets(s),
            pool.supplyShares,
            pool.outsideShares,
            s.cash,
            pool.maxSupply(s),
            pool.limits.frozen
        );
    }

    // ------------------------------------------------------------------ internals

    function _vaultPool(address token, uint256 amount) internal view returns (LendingLib.State storage) {
        require(msg.sender == vaultOf[token] && msg.sender != address(0), NotLendingVault(msg.sender));
        require(amount != 0, ZeroAmount());
        return _pools[token];
    }

    function _burnOutside(LendingLib.State storage pool, uint256 shares) internal {
        uint256 outside = pool.outsideShares;
        require(shares <= outside, InsufficientOutsideShares(shares, outside));
        pool.outsideShares = uint128(outside - shares); // safe: ≤ outside
    }

    /// @dev Pulls exactly `assets` (a fee-on-transfer token is refused).
    function _pullExact(address token, address from, uint256 assets) internal {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), assets);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        require(received == assets, TransferShortfall(assets, received));
    }
}
