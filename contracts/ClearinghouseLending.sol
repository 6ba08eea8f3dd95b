// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IClearinghouse} from "./interfaces/IClearinghouse.sol";
import {ClearinghousePrices} from "./ClearinghousePrices.sol";
import {ICoreLending} from "./interfaces/ICoreLending.sol";
import {ILendingCore} from "./interfaces/ILendingCore.sol";
import {ILendingVault} from "./interfaces/ILendingVault.sol";
import {RateModel} from "./interfaces/ILending.sol";
import {LendingLib} from "./libraries/LendingLib.sol";
import {RateModelLib} from "./libraries/RateModelLib.sol";
import {SharesMathLib} from "./libraries/SharesMathLib.sol";

/// @title ClearinghouseLending: the lending pools inside the Clearinghouse, one `LendingLib.State` per asset
/// @notice Each pool's cash sits in the vault with the traders' tokens, so a margin borrow, lent deposit,
/// repayment, lent withdrawal or write-off is a LendingLib call on the asset's State and moves no token
/// between contracts. Margin accounts' lent balances are supply shares (the supply less
/// `outsideShares`); outside lenders' shares are `outsideShares`, split among them by the asset's
/// LendingVault, the only caller of `ILendingCore` for that asset. This contract holds the States,
/// serves `ILendingCore` and the pools' governance and views (`ICoreLending`), and gives the
/// Clearinghouse's margin paths their pool operations (the `_…Pool` internals below).
abstract contract ClearinghouseLending is ICoreLending, ClearinghousePrices {
    using SafeERC20 for IERC20;
    using LendingLib for LendingLib.State;

    /// @dev Asset config, one slot: id 8 | decimals 8 | shock 16 | slippage 16 | haircut 16 | vault 160 |
    ///      frozen 8. `vault` is the asset's LendingVault, non-zero exactly when the asset has a pool.
    ///      `frozen` copies the venue's freeze into every asset's slot, which a withdrawal, transfer or
    ///      borrow of that asset reads anyway: the check costs no extra cold slot.
    struct AssetConfig {
        uint8 id;
        uint8 decimals;
        uint16 shockBps;
        uint16 slippageBps;
        uint16 lentHaircutBps;
        address vault;
        bool frozen;
    }

    mapping(address token => AssetConfig) internal _assets;
    /// @dev Each asset's pool (LendingLib draws its five slots); its cash is part of this contract's
    ///      token balance (invariant I1, docs/INVARIANTS.md).
    mapping(address token => LendingLib.State) internal _pools;

    // ------------------------------------------------------------------ ILendingCore (the vaults)

    /// @inheritdoc ILendingCore
    function supplyFromVault(address token, uint256 assets) external nonReentrant returns (uint256 shares) {
        LendingLib.State storage pool = _vaultPool(token, assets);
        shares = _supplyPool(token, assets);
        pool.outsideShares += uint128(shares); // safe: outsideShares ≤ supplyShares < 2^128
        _pullExact(token, msg.sender, assets);
    }

    /// @inheritdoc ILendingCore
    function mintFromVault(address token, uint256 shares) external nonReentrant returns (uint256 assets) {
        LendingLib.State storage pool = _vaultPool(token, shares);
        LendingLib.Snapshot memory s = pool.accrued();
        bool ok;
        (assets, ok) = pool.mintShares(s, shares); // assets rounded up: the pool's side
        if (!ok) revert SupplyRefused(shares, pool.maxSupply(s));
        pool.write(token, s);
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
        assets = pool.redeem(s, shares); // rounded down: the pool's side; InsufficientCash
        _burnOutside(pool, shares);
        pool.write(token, s);
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
        shares = pool.withdraw(s, assets); // rounded up: the pool's side; InsufficientCash
        _burnOutside(pool, shares);
        pool.write(token, s);
        IERC20(token).safeTransfer(receiver, assets);
    }

    /// @inheritdoc ILendingCore
    function lendingSupplyOf(address token)
        external
        view
        returns (
            uint256 supplyAssets, // shadows the view of that name: the names are ILendingCore's
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

    // ------------------------------------------------------------------ governance

    /// @inheritdoc ICoreLending
    function listPool(
        address token,
        address vault,
        RateModel calldata model,
        uint16 reserveFactorBps,
        uint256 supplyCapAssets,
        uint256 borrowCapAssets
    ) external virtual restricted {
        AssetConfig storage a = _assets[token];
        require(a.id != 0, IClearinghouse.AssetNotListed(token));
        require(
            a.vault == address(0) && vault != address(0) && ILendingVault(vault).asset() == token
                && ILendingVault(vault).core() == address(this),
            InvalidPool(token, vault)
        );
        a.vault = vault;
        LendingLib.State storage pool = _pools[token];
        pool.init(token, model, reserveFactorBps, supplyCapAssets, borrowCapAssets);
        if (a.frozen) pool.setFrozen(true);
        emit PoolListed(token, vault);
    }

    /// @inheritdoc ICoreLending
    function setRateModel(address token, RateModel calldata model) external restricted nonReentrant {
        _poolOf(token).setRateModel(token, model);
    }

    /// @inheritdoc ICoreLending
    function setReserveFactor(address token, uint16 reserveFactorBps) external restricted nonReentrant {
        _poolOf(token).setReserveFactor(token, reserveFactorBps);
    }

    /// @inheritdoc ICoreLending
    function setCaps(address token, uint256 supplyCapAssets, uint256 borrowCapAssets) external restricted {
        _poolOf(token).setCaps(token, supplyCapAssets, borrowCapAssets);
    }

    /// @inheritdoc ICoreLending
    function withdrawPoolReserve(address token, uint256 assets, address to) external restricted nonReentrant {
        LendingLib.State storage pool = _poolOf(token);
        require(assets != 0, ZeroAmount());
        require(to != address(0), ZeroAddress());
        LendingLib.Snapshot memory s = pool.accrued();
        LendingLib.withdrawReserve(s, assets);
        pool.write(token, s);
        IERC20(token).safeTransfer(to, assets);
        emit PoolReserveWithdrawn(token, assets, to);
    }

    /// @inheritdoc ICoreLending
    function accrueInterest(address token) external nonReentrant {
        _poolOf(token).accrue(token);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ICoreLending
    function vaultOf(address token) external view returns (address) {
        return _assets[token].vault;
    }

    /// @inheritdoc ICoreLending
    function cash(address token) external view returns (uint256) {
        return _pools[token].balances.cashAssets;
    }

    /// @inheritdoc ICoreLending
    function totalBorrows(address token) external view returns (uint256) {
        return _pools[token].accrued().totalBorrows;
    }

    /// @inheritdoc ICoreLending
    function totalBorrowShares(address token) external view returns (uint256) {
        return _pools[token].balances.borrowShares;
    }

    /// @inheritdoc ICoreLending
    function borrowIndexWad(address token) external view returns (uint256) {
        return _pools[token].accrued().indexWad;
    }

    /// @inheritdoc ICoreLending
    function poolReserves(address token) external view returns (uint256) {
        return _pools[token].accrued().reserves;
    }

    /// @inheritdoc ICoreLending
    function supplyAssets(address token) external view returns (uint256) {
        return LendingLib.supplyAssets(_pools[token].accrued());
    }

    /// @inheritdoc ICoreLending
    function totalSupplyShares(address token) external view returns (uint256) {
        return _pools[token].supplyShares;
    }

    /// @inheritdoc ICoreLending
    function lastAccrualTimestamp(address token) external view returns (uint256) {
        return _pools[token].balances.lastAccrual;
    }

    /// @inheritdoc ICoreLending
    function utilizationWad(address token) external view returns (uint256) {
        LendingLib.Snapshot memory s = _pools[token].accrued();
        return RateModelLib.utilizationWad(s.cash, s.totalBorrows, s.reserves);
    }

    /// @inheritdoc ICoreLending
    function borrowRatePerSecondWad(address token) external view returns (uint256) {
        LendingLib.State storage pool = _pools[token];
        return pool.rateOf(pool.accrued());
    }

    /// @inheritdoc ICoreLending
    function supplyRatePerSecondWad(address token) external view returns (uint256) {
        return _pools[token].supplyRatePerSecondWad();
    }

    /// @inheritdoc ICoreLending
    function debtOf(address token, uint256 shares) external view returns (uint256) {
        return SharesMathLib.toDebtAssetsUp(shares, _pools[token].accrued().indexWad);
    }

    /// @inheritdoc ICoreLending
    function debtAndRateOf(address token, uint256 shares)
        external
        view
        returns (uint256 assets, uint256 ratePerSecondWad)
    {
        LendingLib.State storage pool = _pools[token];
        LendingLib.Snapshot memory s = pool.accrued();
        return (SharesMathLib.toDebtAssetsUp(shares, s.indexWad), pool.rateOf(s));
    }

    /// @inheritdoc ICoreLending
    function lentAssetsOf(address token, uint256 shares) external view returns (uint256) {
        return _lentAtoms(token, shares);
    }

    /// @inheritdoc ICoreLending
    function lentSharesFor(address token, uint256 assets) external view returns (uint256) {
        LendingLib.State storage pool = _pools[token];
        return SharesMathLib.toSharesDown(assets, LendingLib.supplyAssets(pool.accrued()), pool.supplyShares);
    }

    /// @inheritdoc ICoreLending
    function sharesForDebt(address token, uint256 assets) external view returns (uint256) {
        return SharesMathLib.toDebtSharesUp(assets, _pools[token].accrued().indexWad);
    }

    /// @inheritdoc ICoreLending
    function borrowQuote(address token, uint256 extraAssets)
        external
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable)
    {
        return _pools[token].borrowQuote(0, extraAssets);
    }

    /// @inheritdoc ICoreLending
    function borrowQuoteAfterRedeem(address token, uint256 redeemedAssets, uint256 extraAssets)
        external
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable)
    {
        return _pools[token].borrowQuote(redeemedAssets, extraAssets);
    }

    /// @inheritdoc ICoreLending
    function rateModelOf(address token) external view returns (RateModel memory) {
        return _pools[token].model;
    }

    /// @inheritdoc ICoreLending
    function capsOf(address token) external view returns (uint256 supplyCapAssets, uint256 borrowCapAssets) {
        LendingLib.Limits memory c = _pools[token].limits;
        return (c.supplyCapAssets, c.borrowCapAssets);
    }

    /// @inheritdoc ICoreLending
    function reserveFactorBpsOf(address token) external view returns (uint16) {
        return _pools[token].ledger.reserveFactorBps;
    }

    /// @inheritdoc ICoreLending
    function poolFrozen(address token) external view returns (bool) {
        return _pools[token].limits.frozen;
    }

    // ------------------------------------------------------------------ margin paths (no token moves)

    /// @dev The pool of `token`; NoPool when the asset has none.
    function _poolOf(address token) internal view returns (LendingLib.State storage) {
        require(_assets[token].vault != address(0), IClearinghouse.NoPool(token));
        return _pools[token];
    }

    /// @dev A lent deposit of `atoms` already in (or kept in) the vault: supply shares rounded down
    ///      (the pool's side); SupplyRefused past `maxSupply`.
    function _supplyPool(address token, uint256 atoms) internal returns (uint256 shares) {
        LendingLib.State storage pool = _pools[token];
        LendingLib.Snapshot memory s = pool.accrued();
        bool ok;
        (shares, ok) = pool.supply(s, atoms);
        if (!ok) revert SupplyRefused(atoms, pool.maxSupply(s));
        pool.write(token, s);
    }

    /// @dev Redeems `shares` of a lent balance into the vault: atoms rounded down (the pool's side);
    ///      InsufficientCash when the pool's cash is short.
    function _redeemPool(address token, uint256 shares) internal returns (uint256 atoms) {
        LendingLib.State storage pool = _pools[token];
        LendingLib.Snapshot memory s = pool.accrued();
        atoms = pool.redeem(s, shares);
        pool.write(token, s);
    }

    /// @dev `atoms` out of a lent balance of `maxShares` (shares rounded up), or all of it when it is
    ///      worth no more (atoms rounded down); the pool's side both. InsufficientCash.
    function _withdrawPoolUpTo(address token, uint256 maxShares, uint256 atoms)
        internal
        returns (uint256 shares, uint256 paid)
    {
        LendingLib.State storage pool = _pools[token];
        LendingLib.Snapshot memory s = pool.accrued();
        (shares, paid) = pool.withdrawUpTo(s, maxShares, atoms);
        pool.write(token, s);
    }

    /// @dev Takes `atoms` of a lent balance for a seizure: the shares burnt (rounded up), or, when the
    ///      pool's cash cannot pay them, the shares worth `atoms` (rounded up, against the account) with
    ///      `asShares` set and nothing redeemed (the shares change hands).
    function _seizePool(address token, uint256 atoms) internal returns (uint256 shares, bool asShares) {
        LendingLib.State storage pool = _pools[token];
        LendingLib.Snapshot memory s = pool.accrued();
        if (atoms > s.cash) {
            return (SharesMathLib.toSharesUp(atoms, LendingLib.supplyAssets(s), pool.supplyShares), true);
        }
        shares = pool.withdraw(s, atoms);
        pool.write(token, s);
    }

    /// @dev Lends `atoms` of the pool's cash (they stay in the vault): borrow shares rounded up (the
    ///      pool's side). NoPool, InsufficientCash, BorrowCapExceeded.
    function _borrowPool(address token, uint256 atoms) internal returns (uint256 shares) {
        LendingLib.State storage pool = _poolOf(token);
        LendingLib.Snapshot memory s = pool.accrued();
        shares = pool.borrow(s, atoms);
        pool.write(token, s);
    }

    /// @dev `atoms` in the vault repay up to `maxShares` of debt: the whole debt if they cover it
    ///      (rounded up), else the shares they fully pay for (rounded down). With `keepRest` the rest
    ///      of a partial payment (less than one share's worth) joins the pool's cash, for its lenders,
    ///      and `paid` is all of `atoms` then; else only `paid` does. Nothing changes when no whole
    ///      share is paid for and `keepRest` is false.
    function _repayPool(address token, uint256 maxShares, uint256 atoms, bool keepRest)
        internal
        returns (uint256 shares, uint256 paid)
    {
        LendingLib.State storage pool = _pools[token];
        LendingLib.Snapshot memory s = pool.accrued();
        (shares, paid) = LendingLib.repayShares(s, maxShares, atoms);
        if (keepRest && shares != maxShares) paid = atoms;
        if (paid == 0) return (0, 0);
        s.cash += paid; // checked to fit uint112 in write
        pool.write(token, s);
    }

    /// @dev Writes off `shares` of bad debt: the reserve first, then the pool's lenders.
    function _writeOffPool(address token, uint256 shares) internal returns (uint256 lossAssets) {
        LendingLib.State storage pool = _pools[token];
        LendingLib.Snapshot memory s = pool.accrued();
        (lossAssets,) = LendingLib.writeOff(s, token, shares);
        pool.write(token, s);
    }

    /// @dev The debt of `shares` borrow shares now, rounded up (the pool's side).
    function _debtAtoms(address token, uint256 shares) internal view returns (uint256) {
        return SharesMathLib.toDebtAssetsUp(shares, _pools[token].accrued().indexWad);
    }

    /// @dev What `shares` supply shares are worth now, rounded down (the pool's side).
    function _lentAtoms(address token, uint256 shares) internal view returns (uint256) {
        LendingLib.State storage pool = _pools[token];
        return SharesMathLib.toAssetsDown(shares, LendingLib.supplyAssets(pool.accrued()), pool.supplyShares);
    }

    /// @dev Pulls exactly `amount` of `token` from `from` into the vault: a fee-on-transfer token is
    ///      refused (TransferShortfall) by the balance before and after.
    function _pullExact(address token, address from, uint256 amount) internal {
        IERC20 t = IERC20(token);
        uint256 before = t.balanceOf(address(this));
        t.safeTransferFrom(from, address(this), amount);
        uint256 received = t.balanceOf(address(this)) - before;
        require(received == amount, TransferShortfall(token, amount, received));
    }

    // ------------------------------------------------------------------ internals

    /// @dev The pool of `token` for its registered LendingVault (the caller), for a non-zero amount.
    function _vaultPool(address token, uint256 amount) internal view returns (LendingLib.State storage) {
        address vault = _assets[token].vault;
        require(msg.sender == vault && vault != address(0), NotLendingVault(msg.sender));
        require(amount != 0, ZeroAmount());
        return _pools[token];
    }

    /// @dev Burns `shares` of the outside lenders' part of the supply (the supply itself fell in LendingLib).
    function _burnOutside(LendingLib.State storage pool, uint256 shares) internal {
        uint256 outside = pool.outsideShares;
        require(shares <= outside, InsufficientOutsideShares(shares, outside));
        pool.outsideShares = uint128(outside - shares); // safe: ≤ outside
    }

    /// @dev Freezes or unfreezes the pool of `token` (the venue's freeze), if it has one.
    function _setPoolFrozen(address token, bool frozen_) internal {
        if (_assets[token].vault != address(0)) _pools[token].setFrozen(frozen_);
    }
}
