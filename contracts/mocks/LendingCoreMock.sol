// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {RateModel} from "../interfaces/ILending.sol";
import {ClearinghouseLending} from "../ClearinghouseLending.sol";
import {LendingLib} from "../libraries/LendingLib.sol";

/// @notice Test only: the Clearinghouse's lending part (`ClearinghouseLending`, the code the
/// Clearinghouse runs: `mapping(address token => LendingLib.State)`, the cash in this contract, one
/// lock, `ILendingCore` for each asset's LendingVault) without the rest of the venue, plus what margin
/// accounts do to a pool (supply, borrow, repay) for anyone, so the wrapper's tests can lend cash out
/// and back (test/unit/lending.vault.test.ts). `listPool` registers any address as the vault.
contract LendingCoreMock is ClearinghouseLending {
    using SafeERC20 for IERC20;
    using LendingLib for LendingLib.State;

    /// @notice Test only: a margin account asked to withdraw more lent shares than it holds.
    error InsufficientLentShares(uint256 requested, uint256 held);
    /// @notice Test only: a repayment by `payer` (the Clearinghouse logs its own `Repaid` per account).
    event Repaid(address indexed payer, uint256 assets, uint256 shares);

    uint8 internal _lastId;
    /// @notice Supply shares of margin accounts (not outside lenders), per account and token.
    mapping(address account => mapping(address token => uint256 shares)) public accountSharesOf;
    /// @notice Borrow shares per account and token.
    mapping(address account => mapping(address token => uint256 shares)) public borrowSharesOf;

    /// @param authority The AccessManager of the pools' governance (`setRateModel`, `setReserveFactor`,
    ///        `setCaps`, `withdrawPoolReserve`), as the Clearinghouse's.
    constructor(address authority) AccessManaged(authority) {}

    // ------------------------------------------------------------------ set-up (test only)

    /// @dev Lists the asset and its pool with any address as the vault (a plain key may stand in for it).
    function listPool(
        address token,
        address vault,
        RateModel calldata model,
        uint16 reserveFactorBps,
        uint256 supplyCapAssets,
        uint256 borrowCapAssets
    ) external override {
        _assets[token].id = ++_lastId;
        _assets[token].vault = vault;
        _pools[token].init(token, model, reserveFactorBps, supplyCapAssets, borrowCapAssets);
    }

    function setFrozen(address token, bool frozen) external {
        _setPoolFrozen(token, frozen);
    }

    // ------------------------------------------------------------------ margin accounts (test only)

    /// @notice A margin account's lent deposit: its shares are not the outside lenders'.
    function supplyAsAccount(address token, uint256 assets) external nonReentrant returns (uint256 shares) {
        shares = _supplyPool(token, assets);
        accountSharesOf[msg.sender][token] += shares;
        _pullExact(token, msg.sender, assets);
    }

    function borrow(address token, uint256 assets, address to) external nonReentrant returns (uint256 shares) {
        shares = _borrowPool(token, assets);
        borrowSharesOf[msg.sender][token] += shares;
        IERC20(token).safeTransfer(to, assets);
    }

    /// @notice Writes off `shares` of the caller's debt as bad debt (the reserve first, then the lenders).
    function writeOff(address token, uint256 shares) external nonReentrant returns (uint256 lossAssets) {
        borrowSharesOf[msg.sender][token] -= shares;
        lossAssets = _writeOffPool(token, shares);
    }

    /// @notice A margin account's merged repayment (as the Clearinghouse's deposit into a balance in
    ///         debt): `assets` repay up to `maxShares` of the caller's debt, the whole debt if they cover
    ///         it (rounded up), else the whole shares they pay for (rounded down). With `keepRest` the
    ///         rest of a partial payment (less than one share's worth) joins the pool's cash too. Pulls
    ///         only what the pool keeps: an excess over the whole debt is never taken.
    function repayUpTo(address token, uint256 maxShares, uint256 assets, bool keepRest)
        external
        nonReentrant
        returns (uint256 shares, uint256 paid)
    {
        require(maxShares != 0 && assets != 0, ZeroAmount());
        (shares, paid) = _repayPool(token, maxShares, assets, keepRest);
        borrowSharesOf[msg.sender][token] -= shares; // checked: only the caller's own debt
        if (paid != 0) _pullExact(token, msg.sender, paid);
        emit Repaid(msg.sender, paid, shares);
    }

    /// @notice A margin account's lent withdrawal (as the Clearinghouse's): `assets` out of the caller's
    ///         lent balance, or all of `maxShares` when worth no more, paid to `to`.
    function withdrawUpTo(address token, uint256 maxShares, uint256 assets, address to)
        external
        nonReentrant
        returns (uint256 shares, uint256 paid)
    {
        require(maxShares != 0 && assets != 0, ZeroAmount());
        uint256 held = accountSharesOf[msg.sender][token];
        require(maxShares <= held, InsufficientLentShares(maxShares, held));
        (shares, paid) = _withdrawPoolUpTo(token, maxShares, assets);
        accountSharesOf[msg.sender][token] = held - shares;
        IERC20(token).safeTransfer(to, paid);
    }

    function repay(address token, uint256 shares) external nonReentrant returns (uint256 assets) {
        assets = _debtAtoms(token, shares);
        _pullExact(token, msg.sender, assets);
        (uint256 burnt,) = _repayPool(token, shares, assets, true);
        require(burnt == shares, ZeroAmount());
        borrowSharesOf[msg.sender][token] -= shares;
    }
}
