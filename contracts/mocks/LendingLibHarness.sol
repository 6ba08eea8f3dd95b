// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {RateModel} from "../interfaces/ILending.sol";
import {LendingLib} from "../libraries/LendingLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";

/// @notice Test only: one `LendingLib.State` at slot 0 with each operation exposed as
/// accrue → operation → write, no tokens (test/unit/lending.lib.test.ts), and SharesMathLib's
/// conversions as they are. The harness itself stands for the pool's token in its events.
contract LendingLibHarness {
    using LendingLib for LendingLib.State;

    LendingLib.State internal _pool; // slots 0..4, as LendingLib draws them

    constructor(RateModel memory model, uint16 reserveFactorBps, uint256 supplyCapAssets, uint256 borrowCapAssets) {
        _pool.init(address(this), model, reserveFactorBps, supplyCapAssets, borrowCapAssets);
    }

    // ---- operations ----
    function supply(uint256 assets) external returns (uint256 shares, bool ok) {
        LendingLib.Snapshot memory s = _pool.accrued();
        (shares, ok) = _pool.supply(s, assets);
        _pool.write(address(this), s);
    }

    function mintShares(uint256 shares) external returns (uint256 assets, bool ok) {
        LendingLib.Snapshot memory s = _pool.accrued();
        (assets, ok) = _pool.mintShares(s, shares);
        _pool.write(address(this), s);
    }

    function withdraw(uint256 assets) external returns (uint256 shares) {
        LendingLib.Snapshot memory s = _pool.accrued();
        shares = _pool.withdraw(s, assets);
        _pool.write(address(this), s);
    }

    function redeem(uint256 shares) external returns (uint256 assets) {
        LendingLib.Snapshot memory s = _pool.accrued();
        assets = _pool.redeem(s, shares);
        _pool.write(address(this), s);
    }

    function withdrawUpTo(uint256 maxShares, uint256 assets) external returns (uint256 shares, uint256 paid) {
        LendingLib.Snapshot memory s = _pool.accrued();
        (shares, paid) = _pool.withdrawUpTo(s, maxShares, assets);
        _pool.write(address(this), s);
    }

    function borrow(uint256 assets) external returns (uint256 shares) {
        LendingLib.Snapshot memory s = _pool.accrued();
        shares = _pool.borrow(s, assets);
        _pool.write(address(this), s);
    }

    function repay(uint256 shares) external returns (uint256 assets) {
        LendingLib.Snapshot memory s = _pool.accrued();
        assets = LendingLib.repay(s, shares);
        _pool.write(address(this), s);
    }

    function repayUpTo(uint256 maxShares, uint256 assets) external returns (uint256 shares, uint256 paid) {
        LendingLib.Snapshot memory s = _pool.accrued();
        (shares, paid) = LendingLib.repayShares(s, maxShares, assets);
        s.cash += paid;
        _pool.write(address(this), s);
    }

    function writeOff(uint256 shares) external returns (uint256 lossAssets, uint256 fromReserve) {
        LendingLib.Snapshot memory s = _pool.accrued();
        (lossAssets, fromReserve) = LendingLib.writeOff(s, address(this), shares);
        _pool.write(address(this), s);
    }

    function withdrawReserve(uint256 assets) external {
        LendingLib.Snapshot memory s = _pool.accrued();
        LendingLib.withdrawReserve(s, assets);
        _pool.write(address(this), s);
    }

    function accrue() external {
        _pool.accrue(address(this));
    }

    function setRateModel(RateModel calldata model) external {
        _pool.setRateModel(address(this), model);
    }

    function setReserveFactor(uint16 bps) external {
        _pool.setReserveFactor(address(this), bps);
    }

    function setCaps(uint256 supplyCapAssets, uint256 borrowCapAssets) external {
        _pool.setCaps(address(this), supplyCapAssets, borrowCapAssets);
    }

    function setFrozen(bool frozen) external {
        _pool.setFrozen(frozen);
    }

    // ---- views ----
    /// @notice The accrued snapshot's figures: cash, totalBorrows, reserves, indexWad, borrowShares,
    ///         supplyAssets, supplyShares.
    function state()
        external
        view
        returns (
            uint256 cash,
            uint256 totalBorrows,
            uint256 reserves,
            uint256 indexWad,
            uint256 borrowShares,
            uint256 supplyAssets,
            uint256 supplyShares
        )
    {
        LendingLib.Snapshot memory s = _pool.accrued();
        return (s.cash, s.totalBorrows, s.reserves, s.indexWad, s.borrowShares, LendingLib.supplyAssets(s), _pool.supplyShares);
    }

    function maxSupply() external view returns (uint256) {
        return _pool.maxSupply(_pool.accrued());
    }

    function maxRedeemByCash() external view returns (uint256) {
        return _pool.maxRedeemByCash(_pool.accrued());
    }

    function borrowRate() external view returns (uint256) {
        return _pool.rateOf(_pool.accrued());
    }

    function borrowQuote(uint256 redeemedAssets, uint256 extraAssets) external view returns (uint256, uint256) {
        return _pool.borrowQuote(redeemedAssets, extraAssets);
    }

    function supplyRate() external view returns (uint256) {
        return _pool.supplyRatePerSecondWad();
    }

    function frozen() external view returns (bool) {
        return _pool.limits.frozen;
    }

    // ---- SharesMathLib ----
    function toSharesDown(uint256 a, uint256 ta, uint256 ts) external pure returns (uint256) {
        return SharesMathLib.toSharesDown(a, ta, ts);
    }

    function toSharesUp(uint256 a, uint256 ta, uint256 ts) external pure returns (uint256) {
        return SharesMathLib.toSharesUp(a, ta, ts);
    }

    function toAssetsDown(uint256 sh, uint256 ta, uint256 ts) external pure returns (uint256) {
        return SharesMathLib.toAssetsDown(sh, ta, ts);
    }

    function toAssetsUp(uint256 sh, uint256 ta, uint256 ts) external pure returns (uint256) {
        return SharesMathLib.toAssetsUp(sh, ta, ts);
    }

    function toDebtSharesUp(uint256 a, uint256 i) external pure returns (uint256) {
        return SharesMathLib.toDebtSharesUp(a, i);
    }

    function toDebtSharesDown(uint256 a, uint256 i) external pure returns (uint256) {
        return SharesMathLib.toDebtSharesDown(a, i);
    }

    function toDebtAssetsUp(uint256 sh, uint256 i) external pure returns (uint256) {
        return SharesMathLib.toDebtAssetsUp(sh, i);
    }

    function toDebtAssetsDown(uint256 sh, uint256 i) external pure returns (uint256) {
        return SharesMathLib.toDebtAssetsDown(sh, i);
    }
}
