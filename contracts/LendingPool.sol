// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ILendingPool, RateModel} from "./interfaces/ILendingPool.sol";
import {RateModelLib} from "./libraries/RateModelLib.sol";

/// @title LendingPool: ERC-4626 lending pool for one asset; only the Clearinghouse borrows
/// @notice Invariants (docs/LENDING.md; test/unit/lending.random.test.ts checks them after
/// every step of random sequences):
/// - L1 cash + totalBorrows = totalAssets + reserves, exactly (totalAssets is defined so);
/// - L2 reserves ≤ cash + totalBorrows (totalAssets never negative);
/// - L3 the asset balance of the pool ≥ cash (the pool holds every token it accounts for);
/// - L4 the borrow index never decreases;
/// - L5 the share price never decreases, except at writeOff.
contract LendingPool is ILendingPool, ERC4626, AccessManaged, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using Math for uint256;
    using RateModelLib for RateModel;

    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    /// @notice Hard bound on the reserve factor: at most half of the interest goes to the reserve.
    uint16 public constant MAX_RESERVE_FACTOR_BPS = 5000;
    /// @notice Hard bound on each rate of the model: 1000 % a year.
    uint256 public constant MAX_RATE_PER_YEAR_WAD = RateModelLib.MAX_RATE_PER_YEAR_WAD;
    /// @notice A cap this large means no cap: cash (uint112) can never exceed it.
    uint256 public constant NO_CAP = type(uint112).max;
    /// @dev Virtual shares 10^6 against the first-depositor share-inflation attack: an
    ///      attacker must donate ~10^6 times what they hope to steal.
    uint8 internal constant DECIMALS_OFFSET = 6;

    address internal immutable CLEARINGHOUSE;

    // Hot state: everything an accrual reads is in `_market` and `_ledger` (plus `_model` when
    // interest runs), so repay, withdraw and the views touch three slots; borrow and deposit add
    // `_caps`. Each operation writes `_market` once, and `_ledger` only when interest moved it;
    // a mint, burn or transfer of the Clearinghouse's shares reads and writes `_shares` once.
    // Fields from the least significant bit up:
    //   _market | cash 112 | totalBorrowShares 112 | lastAccrual 32 |
    //   _ledger | borrowIndexWad 128 | reserves 112 | reserveFactorBps 16 |
    //   _model  | base 64 | slope1 64 | slope2 64 | kink 64 |                  (RateModel)
    //   _caps   | supplyCapAssets 112 | borrowCapAssets 112 | (32 free) |
    //   _shares | supply 128 | ofClearinghouse 128 |                            (SharesSlot)
    // uint32 seconds last until 2106; uint112 atoms hold 5e15 whole 18-decimal tokens.
    // totalBorrowShares < 2^112: a borrow keeps shares · index / 1e18 ≤ borrowCap ≤ 2^112 − 1
    // with index ≥ 1e18 (and repay and writeOff only lower it).
    struct MarketSlot {
        uint112 cash;
        uint112 totalBorrowShares;
        uint32 lastAccrual;
    }

    struct LedgerSlot {
        uint128 borrowIndexWad;
        uint112 reserves;
        uint16 reserveFactorBps;
    }

    struct CapsSlot {
        uint112 supplyCapAssets;
        uint112 borrowCapAssets;
    }

    /// @dev The share supply and the Clearinghouse's shares in one word, so a lent deposit or withdrawal
    ///      by the Clearinghouse (the pool's largest holder) reads and writes one slot for its shares,
    ///      not OpenZeppelin's `_totalSupply` and `_balances[clearinghouse]` (one cold read and one write
    ///      less). Other holders' shares are in `_sharesOf`; OpenZeppelin's balance and supply slots are
    ///      never used (`_update`, `balanceOf` and `totalSupply` are overridden together).
    ///      | supply 128 | ofClearinghouse 128 |: 2^128 shares are 3.4e32 atoms at the starting price
    ///      (10^6 shares per atom), far beyond any supply cap in use, but a write-off can lower the
    ///      price without bound: maxDeposit and maxMint stop at 2^128 − 1 shares (`_maxDeposit`).
    struct SharesSlot {
        uint128 supply;
        uint128 ofClearinghouse;
    }

    /// @dev The pool's state with interest accrued up to now, in memory; operations edit it and
    ///      `_write` stores it.
    struct Snapshot {
        uint256 cash;
        uint256 reserves;
        uint256 indexWad;
        uint256 borrowShares;
        uint256 totalBorrows;
        uint256 reserveFactorBps;
        uint256 interest; // growth of totalBorrows in this accrual
        bool indexMoved; // the accrual moved the index (log InterestAccrued)
        bool ledgerDirty; // `_ledger` must be written
    }

    MarketSlot internal _market;
    LedgerSlot internal _ledger;
    RateModel internal _model;
    CapsSlot internal _caps;
    SharesSlot internal _shares;
    mapping(address holder => uint256 shares) internal _sharesOf;
    /// @inheritdoc ILendingPool
    bool public frozen;

    /// @param asset_ The one asset this pool lends (its decimals + 6 are the shares' decimals).
    /// @param clearinghouse_ The only borrower; it also lends for margin accounts.
    /// @param authority The AccessManager that guards the governance functions.
    /// @param model Rate model (bounds as setRateModel).
    /// @param reserveFactorBps_ Reserve factor (bounds as setReserveFactor).
    /// @param supplyCapAssets Cap on totalAssets (as setCaps).
    /// @param borrowCapAssets Cap on totalBorrows (as setCaps).
    constructor(
        IERC20Metadata asset_,
        string memory name_,
        string memory symbol_,
        address clearinghouse_,
        address authority,
        RateModel memory model,
        uint16 reserveFactorBps_,
        uint256 supplyCapAssets,
        uint256 borrowCapAssets
    ) ERC20(name_, symbol_) ERC4626(asset_) AccessManaged(authority) {
        require(address(asset_) != address(0) && clearinghouse_ != address(0), ZeroAddress());
        CLEARINGHOUSE = clearinghouse_;
        _ledger.borrowIndexWad = uint128(WAD);
        _market.lastAccrual = block.timestamp.toUint32();
        _setRateModel(model);
        _setReserveFactor(reserveFactorBps_);
        _setCaps(supplyCapAssets, borrowCapAssets);
    }

    // ------------------------------------------------------------------ Clearinghouse

    /// @inheritdoc ILendingPool
    function borrow(uint256 assets, address to) external nonReentrant returns (uint256 shares) {
        _onlyClearinghouse();
        require(assets != 0, ZeroAmount());
        require(to != address(0), ZeroAddress());
        Snapshot memory s = _accrued();
        require(assets <= s.cash, InsufficientCash(assets, s.cash));
        // Rounded up: the borrower owes at least `assets` (the pool's side).
        shares = RateModelLib.toSharesUp(assets, s.indexWad);
        uint256 sharesAfter = s.borrowShares + shares;
        // Rounded down, as totalBorrows always is: what lenders are surely owed.
        uint256 totalAfter = RateModelLib.toAssetsDown(sharesAfter, s.indexWad);
        uint256 cap = _caps.borrowCapAssets;
        require(totalAfter <= cap, BorrowCapExceeded(totalAfter, cap));
        s.borrowShares = sharesAfter;
        s.cash -= assets; // assets ≤ cash
        _write(s);
        IERC20(asset()).safeTransfer(to, assets);
        // no pool event: the Clearinghouse, the only borrower, logs every borrow once, per account
        // (`IClearinghouse.Borrowed`, with these shares)
    }

    /// @inheritdoc ILendingPool
    function supplyReceived(uint256 assets) external nonReentrant returns (uint256 shares) {
        _onlyClearinghouse();
        Snapshot memory s = _accrued();
        _checkReceived(s.cash, assets);
        shares = _supply(s, assets, CLEARINGHOUSE);
        _write(s);
        // deposit's events and mint
        _mint(CLEARINGHOUSE, shares);
        emit Deposit(CLEARINGHOUSE, CLEARINGHOUSE, assets, shares);
    }

    /// @inheritdoc ILendingPool
    function repay(uint256 shares) external nonReentrant returns (uint256 assets) {
        _onlyClearinghouse();
        require(shares != 0, ZeroAmount());
        Snapshot memory s = _accrued();
        require(shares <= s.borrowShares, InsufficientBorrowShares(shares, s.borrowShares));
        // Rounded up: the repayer pays the last fraction of an atom (the pool's side).
        assets = RateModelLib.toAssetsUp(shares, s.indexWad);
        s.borrowShares -= shares;
        s.cash += assets; // checked to fit uint112 in _write
        _write(s);
        _pullExact(msg.sender, assets);
        emit Repaid(msg.sender, assets, shares);
    }

    /// @inheritdoc ILendingPool
    function repayUpTo(uint256 maxShares, uint256 assets) external nonReentrant returns (uint256 shares, uint256 paid) {
        _onlyClearinghouse();
        require(maxShares != 0 && assets != 0, ZeroAmount());
        Snapshot memory s = _accrued();
        (shares, paid) = _repayShares(s, maxShares, assets);
        if (shares == 0) return (0, 0); // what is left of `assets` is not taken
        s.cash += paid; // checked to fit uint112 in _write
        _write(s);
        _pullExact(msg.sender, paid);
        emit Repaid(msg.sender, paid, shares);
    }

    /// @inheritdoc ILendingPool
    function repayReceived(uint256 maxShares, uint256 assets)
        external
        nonReentrant
        returns (uint256 shares, uint256 back)
    {
        _onlyClearinghouse();
        require(maxShares != 0 && assets != 0, ZeroAmount());
        Snapshot memory s = _accrued();
        _checkReceived(s.cash, assets);
        uint256 paid;
        (shares, paid) = _repayShares(s, maxShares, assets);
        // the whole debt: the excess goes back; else the rest of a partial payment (less than one
        // share's worth) is kept as cash, for the lenders
        if (shares == maxShares) back = assets - paid; // only when assets covered the whole debt
        s.cash += assets - back; // checked to fit uint112 in _write
        _write(s);
        if (back != 0) IERC20(asset()).safeTransfer(CLEARINGHOUSE, back);
        // no pool event: the Clearinghouse logs this repayment once, per account (`IClearinghouse.Repaid`,
        // with these shares)
    }

    /// @dev Burns from the snapshot all of `maxShares` if `assets` covers their debt, else the whole
    /// shares `assets` pays for, and prices them: the whole debt rounded up (the repayer pays the last
    /// fraction of an atom), partial shares rounded down and their value up (the pool's side both).
    function _repayShares(Snapshot memory s, uint256 maxShares, uint256 assets)
        internal
        pure
        returns (uint256 shares, uint256 paid)
    {
        uint256 debt = RateModelLib.toAssetsUp(maxShares, s.indexWad);
        if (assets >= debt) {
            (shares, paid) = (maxShares, debt);
        } else {
            shares = RateModelLib.mulDivDown(assets, WAD, s.indexWad);
            if (shares != 0) paid = RateModelLib.toAssetsUp(shares, s.indexWad); // ≤ assets
        }
        require(shares <= s.borrowShares, InsufficientBorrowShares(shares, s.borrowShares));
        s.borrowShares -= shares;
    }

    /// @inheritdoc ILendingPool
    function writeOff(uint256 shares) external nonReentrant returns (uint256 lossAssets, uint256 fromReserve) {
        _onlyClearinghouse();
        require(shares != 0, ZeroAmount());
        Snapshot memory s = _accrued();
        require(shares <= s.borrowShares, InsufficientBorrowShares(shares, s.borrowShares));
        // Rounded up, as a repayment would have been: the reserve covers the full debt first.
        lossAssets = RateModelLib.toAssetsUp(shares, s.indexWad);
        fromReserve = Math.min(lossAssets, s.reserves);
        // The reserve shrinks by what it covers and totalBorrows by the debt (as lenders counted
        // it, ≤ lossAssets), so totalAssets (the lenders' claim) falls by at most
        // lossAssets − fromReserve, and never below 0 (docs/LENDING.md, L2).
        s.borrowShares -= shares;
        s.reserves -= fromReserve;
        s.ledgerDirty = true;
        _write(s);
        emit BadDebtWrittenOff(shares, lossAssets, fromReserve);
    }

    // ------------------------------------------------------------------ anyone

    /// @inheritdoc ILendingPool
    function accrueInterest() external nonReentrant {
        _accrue();
    }

    /// @inheritdoc IERC4626
    function previewRedeem(uint256 shares) public view override(IERC4626, ERC4626) returns (uint256) {
        Snapshot memory s = _accrued();
        return _toAssets(shares, s, false); // rounded down: the pool's side
    }

    /// @inheritdoc IERC4626
    function convertToAssets(uint256 shares) public view override(IERC4626, ERC4626) returns (uint256) {
        Snapshot memory s = _accrued();
        return _toAssets(shares, s, false); // rounded down, as ERC-4626 asks
    }

    // ------------------------------------------------------------------ ERC-4626

    /// @dev Accrues, then follows OpenZeppelin's deposit with the accrued snapshot in hand
    ///      (the same formulas as its views, without recomputing the accrual in each).
    function deposit(uint256 assets, address receiver)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        Snapshot memory s = _accrued();
        shares = _supply(s, assets, receiver);
        _write(s);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @dev A deposit of `assets` into the accrued snapshot: capped, shares rounded down (the
    /// pool's side); the caller writes the snapshot and moves or checks the tokens.
    ///      Accepted exactly when assets ≤ maxDeposit: within the caps' room and minting shares that
    ///      keep the supply within 128 bits; the bound itself is computed only to refuse.
    function _supply(Snapshot memory s, uint256 assets, address receiver) internal view returns (uint256 shares) {
        if (assets <= _capRoom(s)) {
            shares = _toShares(assets, s, false);
            if (shares <= type(uint128).max - totalSupply()) {
                s.cash += assets; // ≤ NO_CAP: the room keeps cash within uint112
                return shares;
            }
        }
        revert ERC4626ExceededMaxDeposit(receiver, assets, _maxDeposit(s));
    }

    /// @dev As deposit.
    function mint(uint256 shares, address receiver)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        Snapshot memory s = _accrued();
        uint256 maxShares = _toShares(_maxDeposit(s), s, false); // rounded down, as a deposit would
        require(shares <= maxShares, ERC4626ExceededMaxMint(receiver, shares, maxShares));
        assets = _toAssets(shares, s, true); // rounded up: the pool's side
        s.cash += assets; // checked to fit uint112 in _write
        _write(s);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @dev Checks cash before the owner's balance, so a lender learns the pool is short of
    ///      cash (InsufficientCash), not that their own balance is.
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        _notFrozen();
        Snapshot memory s = _accrued();
        require(assets <= s.cash, InsufficientCash(assets, s.cash));
        uint256 maxAssets = _toAssets(balanceOf(owner), s, false); // rounded down: the pool's side
        require(assets <= maxAssets, ERC4626ExceededMaxWithdraw(owner, assets, maxAssets));
        shares = _toShares(assets, s, true); // rounded up: the pool's side
        s.cash -= assets; // assets ≤ cash
        _write(s);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    /// @dev As withdraw: InsufficientCash first.
    function redeem(uint256 shares, address receiver, address owner)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        _notFrozen();
        Snapshot memory s = _accrued();
        assets = _toAssets(shares, s, false); // rounded down: the pool's side
        require(assets <= s.cash, InsufficientCash(assets, s.cash));
        uint256 maxShares = balanceOf(owner);
        require(shares <= maxShares, ERC4626ExceededMaxRedeem(owner, shares, maxShares));
        s.cash -= assets; // assets ≤ cash
        _write(s);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    /// @inheritdoc ILendingPool
    function withdrawUpTo(uint256 maxShares, uint256 assets, address receiver)
        external
        nonReentrant
        returns (uint256 shares, uint256 paid)
    {
        require(maxShares != 0 && assets != 0, ZeroAmount());
        Snapshot memory s = _accrued();
        paid = _toAssets(maxShares, s, false); // rounded down, as redeem: the pool's side
        if (paid > assets) {
            (shares, paid) = (_toShares(assets, s, true), assets); // rounded up, as withdraw: the pool's side
        } else {
            shares = maxShares;
        }
        require(paid <= s.cash, InsufficientCash(paid, s.cash));
        uint256 balance = balanceOf(msg.sender);
        require(shares <= balance, ERC4626ExceededMaxRedeem(msg.sender, shares, balance));
        s.cash -= paid; // paid ≤ cash
        _write(s);
        _withdraw(msg.sender, receiver, msg.sender, paid, shares);
    }

    /// @notice cash + totalBorrows − reserves, with interest accrued up to now.
    function totalAssets() public view override(IERC4626, ERC4626) returns (uint256) {
        Snapshot memory s = _accrued();
        return _totalAssets(s);
    }

    /// @notice Room left under the supply cap (and under what cash and the share supply can hold).
    function maxDeposit(address) public view override(IERC4626, ERC4626) returns (uint256) {
        Snapshot memory s = _accrued();
        return _maxDeposit(s);
    }

    /// @notice Shares the room under the supply cap buys (rounded down, as a deposit would).
    function maxMint(address) public view override(IERC4626, ERC4626) returns (uint256) {
        Snapshot memory s = _accrued();
        return _toShares(_maxDeposit(s), s, false);
    }

    /// @notice The owner's assets, but no more than the pool's cash; 0 while the venue is frozen.
    function maxWithdraw(address owner) public view override(IERC4626, ERC4626) returns (uint256) {
        if (frozen && owner != CLEARINGHOUSE) return 0;
        Snapshot memory s = _accrued();
        return Math.min(_toAssets(balanceOf(owner), s, false), s.cash);
    }

    /// @notice The owner's shares, but no more than redeem for at most the pool's cash; 0 while the
    ///         venue is frozen.
    function maxRedeem(address owner) public view override(IERC4626, ERC4626) returns (uint256) {
        if (frozen && owner != CLEARINGHOUSE) return 0;
        Snapshot memory s = _accrued();
        // The largest n with ⌊n·(totalAssets+1)/(supply+10^6)⌋ ≤ cash is
        // ⌈(cash+1)·(supply+10^6)/(totalAssets+1)⌉ − 1: redeeming it pays at most cash.
        uint256 byCash =
            (s.cash + 1).mulDiv(totalSupply() + 10 ** DECIMALS_OFFSET, _totalAssets(s) + 1, Math.Rounding.Ceil) - 1;
        return Math.min(balanceOf(owner), byCash);
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev Cash was already credited (deposit, mint); the token must deliver all of it.
    function _transferIn(address from, uint256 assets) internal override {
        _pullExact(from, assets);
    }

    /// @dev Cash was already debited (withdraw, redeem).
    function _transferOut(address to, uint256 assets) internal override {
        IERC20(asset()).safeTransfer(to, assets);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc ILendingPool
    function setRateModel(RateModel calldata model) external restricted nonReentrant {
        _write(_accrued()); // interest up to now is owed at the old rate
        _setRateModel(model);
    }

    /// @inheritdoc ILendingPool
    function setReserveFactor(uint16 reserveFactorBps_) external restricted nonReentrant {
        _write(_accrued()); // interest up to now is split at the old factor
        _setReserveFactor(reserveFactorBps_);
    }

    /// @inheritdoc ILendingPool
    function setCaps(uint256 supplyCapAssets, uint256 borrowCapAssets) external restricted {
        _setCaps(supplyCapAssets, borrowCapAssets);
    }

    /// @inheritdoc ILendingPool
    function withdrawReserve(uint256 assets, address treasury) external restricted nonReentrant {
        require(assets != 0, ZeroAmount());
        require(treasury != address(0), ZeroAddress());
        Snapshot memory s = _accrued();
        require(assets <= s.reserves, InsufficientReserves(assets, s.reserves));
        require(assets <= s.cash, InsufficientCash(assets, s.cash));
        // Reserve and cash fall together: totalAssets (the lenders' claim) is unchanged.
        s.reserves -= assets;
        s.cash -= assets;
        s.ledgerDirty = true;
        _write(s);
        IERC20(asset()).safeTransfer(treasury, assets);
        emit ReserveWithdrawn(assets, treasury);
    }

    function _setRateModel(RateModel memory model) internal {
        model.validate();
        _model = model;
        emit RateModelSet(model);
    }

    function _setReserveFactor(uint16 bps) internal {
        require(bps <= MAX_RESERVE_FACTOR_BPS, ReserveFactorTooHigh(bps, MAX_RESERVE_FACTOR_BPS));
        _ledger.reserveFactorBps = bps;
        emit ReserveFactorSet(bps);
    }

    function _setCaps(uint256 supplyCapAssets, uint256 borrowCapAssets) internal {
        // Above NO_CAP a cap could never bind (cash is uint112): store NO_CAP.
        supplyCapAssets = Math.min(supplyCapAssets, NO_CAP);
        borrowCapAssets = Math.min(borrowCapAssets, NO_CAP);
        _caps = CapsSlot(uint112(supplyCapAssets), uint112(borrowCapAssets)); // safe: ≤ NO_CAP
        emit CapsSet(supplyCapAssets, borrowCapAssets);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ILendingPool
    function clearinghouse() external view returns (address) {
        return CLEARINGHOUSE;
    }

    /// @inheritdoc ILendingPool
    function cash() external view returns (uint256) {
        return _market.cash;
    }

    /// @inheritdoc ILendingPool
    function totalBorrows() external view returns (uint256) {
        Snapshot memory s = _accrued();
        return s.totalBorrows;
    }

    /// @inheritdoc ILendingPool
    function totalBorrowShares() external view returns (uint256) {
        return _market.totalBorrowShares;
    }

    /// @inheritdoc ILendingPool
    function borrowIndexWad() external view returns (uint256) {
        Snapshot memory s = _accrued();
        return s.indexWad;
    }

    /// @inheritdoc ILendingPool
    function reserves() external view returns (uint256) {
        Snapshot memory s = _accrued();
        return s.reserves;
    }

    /// @inheritdoc ILendingPool
    function lastAccrualTimestamp() external view returns (uint256) {
        return _market.lastAccrual;
    }

    /// @inheritdoc ILendingPool
    function utilizationWad() public view returns (uint256) {
        Snapshot memory s = _accrued();
        return RateModelLib.utilizationWad(s.cash, s.totalBorrows, s.reserves);
    }

    /// @inheritdoc ILendingPool
    function borrowRatePerSecondWad() public view returns (uint256) {
        return _model.ratePerSecondWad(utilizationWad());
    }

    /// @inheritdoc ILendingPool
    function supplyRatePerSecondWad() external view returns (uint256) {
        uint256 u = utilizationWad();
        uint256 grossWad = _model.ratePerSecondWad(u).mulDiv(u, WAD); // rounded down: lenders' side shown low
        return grossWad * (BPS - _ledger.reserveFactorBps) / BPS; // rounded down, likewise
    }

    /// @inheritdoc ILendingPool
    function debtOf(uint256 shares) external view returns (uint256 assets) {
        Snapshot memory s = _accrued();
        return RateModelLib.toAssetsUp(shares, s.indexWad);
    }

    /// @inheritdoc ILendingPool
    function debtAndRateOf(uint256 shares) external view returns (uint256 assets, uint256 ratePerSecondWad) {
        Snapshot memory s = _accrued();
        assets = RateModelLib.toAssetsUp(shares, s.indexWad);
        ratePerSecondWad = _model.ratePerSecondWad(RateModelLib.utilizationWad(s.cash, s.totalBorrows, s.reserves));
    }

    /// @inheritdoc ILendingPool
    function borrowQuote(uint256 extraAssets) external view returns (uint256 ratePerSecondWad, uint256 borrowable) {
        return _borrowQuote(0, extraAssets);
    }

    /// @inheritdoc ILendingPool
    function borrowQuoteAfterRedeem(uint256 redeemedAssets, uint256 extraAssets)
        external
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable)
    {
        return _borrowQuote(redeemedAssets, extraAssets);
    }

    /// @dev A redemption takes cash only (totalBorrows and reserves stay), at most all of it.
    function _borrowQuote(uint256 redeemedAssets, uint256 extraAssets)
        internal
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable)
    {
        Snapshot memory s = _accrued();
        s.cash -= Math.min(redeemedAssets, s.cash);
        uint256 cap = _caps.borrowCapAssets;
        uint256 capRoom = cap > s.totalBorrows ? cap - s.totalBorrows : 0;
        borrowable = Math.min(s.cash, capRoom);
        uint256 extra = Math.min(extraAssets, s.cash);
        ratePerSecondWad =
            _model.ratePerSecondWad(RateModelLib.utilizationWad(s.cash - extra, s.totalBorrows + extra, s.reserves));
    }

    /// @inheritdoc ILendingPool
    function sharesForDebt(uint256 assets) external view returns (uint256 shares) {
        Snapshot memory s = _accrued();
        return RateModelLib.toSharesUp(assets, s.indexWad);
    }

    /// @inheritdoc ILendingPool
    function rateModel() external view returns (RateModel memory) {
        return _model;
    }

    /// @inheritdoc ILendingPool
    function caps() external view returns (uint256 supplyCapAssets, uint256 borrowCapAssets) {
        CapsSlot memory c = _caps;
        return (c.supplyCapAssets, c.borrowCapAssets);
    }

    /// @inheritdoc ILendingPool
    function reserveFactorBps() external view returns (uint16) {
        return _ledger.reserveFactorBps;
    }

    // ------------------------------------------------------------------ internals

    /// @dev The pool's state with interest accrued up to now, without writing it: the one
    ///      formula both the views and the operations use, so they can never disagree.
    ///      index' = index + ceil(index · rate · dt / 1e18), rate from utilisation at the last
    ///      accrual; interest = totalBorrows' − totalBorrows; reserves += ⌊interest · rf / 1e4⌋.
    function _accrued() internal view returns (Snapshot memory s) {
        MarketSlot memory m = _market;
        LedgerSlot memory ledger = _ledger;
        s.cash = m.cash;
        s.borrowShares = m.totalBorrowShares;
        s.indexWad = ledger.borrowIndexWad;
        s.reserves = ledger.reserves;
        s.reserveFactorBps = ledger.reserveFactorBps;
        // Rounded down: lenders are credited only what borrowers surely owe.
        s.totalBorrows = RateModelLib.toAssetsDown(s.borrowShares, s.indexWad);
        uint256 dt = block.timestamp - m.lastAccrual;
        // Nothing owed, nothing grows: the index stays put while no one borrows.
        if (dt == 0 || s.borrowShares == 0) return s;
        uint256 rate = _model.ratePerSecondWad(RateModelLib.utilizationWad(s.cash, s.totalBorrows, s.reserves));
        uint256 indexAfter = RateModelLib.grow(s.indexWad, rate, dt); // rounded up: the pool's side
        if (indexAfter == s.indexWad) return s;
        uint256 borrowsAfter = RateModelLib.toAssetsDown(s.borrowShares, indexAfter); // rounded down: lenders' side
        uint256 interest = borrowsAfter - s.totalBorrows;
        // Rounded down: the reserve takes no more than its factor; the atom stays with lenders.
        // interest < 2^240 (shares < 2^112, index < 2^128), so × 5000 cannot overflow.
        s.reserves += interest * s.reserveFactorBps / BPS;
        s.indexWad = indexAfter;
        s.totalBorrows = borrowsAfter;
        s.interest = interest;
        s.indexMoved = true;
        s.ledgerDirty = true;
    }

    /// @dev Accrues and stores (accrueInterest): writes only when the clock moved.
    function _accrue() internal {
        if (_market.lastAccrual != block.timestamp) _write(_accrued());
    }

    /// @dev Stores `s` as of now: `_market` always (one SSTORE), `_ledger` when it changed.
    function _write(Snapshot memory s) internal {
        _market = MarketSlot({
            cash: s.cash.toUint112(),
            totalBorrowShares: s.borrowShares.toUint112(),
            lastAccrual: block.timestamp.toUint32()
        });
        if (s.ledgerDirty) {
            uint128 index = s.indexWad.toUint128();
            _ledger = LedgerSlot({
                borrowIndexWad: index,
                reserves: s.reserves.toUint112(),
                reserveFactorBps: uint16(s.reserveFactorBps) // safe: read from the uint16 field
            });
            if (s.indexMoved) {
                // interest saturates in the event only (2^128 atoms is beyond any real pool)
                emit InterestAccrued(Math.min(s.interest, type(uint128).max) << 128 | index);
            }
        }
    }

    /// @dev OpenZeppelin's conversion (10^6 virtual shares, 1 virtual asset) on the snapshot;
    ///      `up` rounds up (each caller says whose side that is).
    function _toShares(uint256 assets, Snapshot memory s, bool up) internal view returns (uint256) {
        uint256 supply = totalSupply() + 10 ** DECIMALS_OFFSET;
        uint256 total = _totalAssets(s) + 1;
        return up ? RateModelLib.mulDivUp(assets, supply, total) : RateModelLib.mulDivDown(assets, supply, total);
    }

    function _toAssets(uint256 shares, Snapshot memory s, bool up) internal view returns (uint256) {
        uint256 supply = totalSupply() + 10 ** DECIMALS_OFFSET;
        uint256 total = _totalAssets(s) + 1;
        return up ? RateModelLib.mulDivUp(shares, total, supply) : RateModelLib.mulDivDown(shares, total, supply);
    }

    /// @dev Room under the supply cap, under what the uint112 cash can hold, and under what the
    ///      uint128 share supply can hold: a write-off can take the share price down towards
    ///      1 / (supply + 10^6) atoms (lenders wiped out), and a deposit then mints that many
    ///      shares per atom, so this room can bind long before the others (docs/LENDING.md).
    function _maxDeposit(Snapshot memory s) internal view returns (uint256) {
        uint256 room = _capRoom(s);
        uint256 assets = _totalAssets(s);
        uint256 supply = totalSupply();
        uint256 shareRoom = type(uint128).max - supply;
        uint256 virtualSupply = supply + 10 ** DECIMALS_OFFSET;
        // room ≤ 2^112 and virtualSupply < 2^129: the plain product fits
        if (RateModelLib.mulDivDown(room, virtualSupply, assets + 1) <= shareRoom) return room;
        // The most assets whose shares (rounded down, as a deposit mints) fit in shareRoom:
        // ⌈(shareRoom + 1)(totalAssets + 1)/(supply + 10^6)⌉ − 1, which is < room here.
        return RateModelLib.mulDivUp(shareRoom + 1, assets + 1, virtualSupply) - 1;
    }

    /// @dev Room under the supply cap and under what the uint112 cash can hold.
    function _capRoom(Snapshot memory s) internal view returns (uint256) {
        uint256 assets = _totalAssets(s);
        uint256 cap = _caps.supplyCapAssets;
        if (assets >= cap) return 0;
        return Math.min(cap - assets, NO_CAP - s.cash);
    }

    /// @dev totalAssets = cash + totalBorrows − reserves; never negative (docs/LENDING.md, L2).
    function _totalAssets(Snapshot memory s) internal pure returns (uint256) {
        return s.cash + s.totalBorrows - s.reserves;
    }

    /// @dev Pulls `assets` from `from` after the caller stored cash with them counted in; the pool's
    ///      balance must then cover the stored cash (L3), so a token that delivers less is refused.
    ///      One warm balanceOf instead of a cold one before and a warm one after.
    function _pullExact(address from, uint256 assets) internal {
        IERC20(asset()).safeTransferFrom(from, address(this), assets);
        uint256 cashAfter = _market.cash; // warm: just written
        _checkReceived(cashAfter - assets, assets);
    }

    /// @dev Reverts TransferShortfall unless the pool's token balance covers `cashBefore + assets`,
    ///      the cash once `assets` are counted in (L3: balance ≥ cash). The balance can exceed cash by
    ///      donations, which nobody owns: a short delivery they cover leaves L3 true, and any token that
    ///      takes a fee is still refused while the pool holds no donation (the usual case). `received`
    ///      is the balance above `cashBefore` (delivery plus donations), 0 if below.
    function _checkReceived(uint256 cashBefore, uint256 assets) internal view {
        uint256 balance = IERC20(asset()).balanceOf(address(this));
        if (balance < cashBefore + assets) {
            revert TransferShortfall(assets, balance > cashBefore ? balance - cashBefore : 0);
        }
    }

    // ------------------------------------------------------------------ shares (ERC-20)

    /// @notice Shares in existence: the Clearinghouse's and every other holder's.
    function totalSupply() public view override(IERC20, ERC20) returns (uint256) {
        return _shares.supply;
    }

    /// @notice Shares held by `holder` (the Clearinghouse's are kept with the supply; see SharesSlot).
    function balanceOf(address holder) public view override(IERC20, ERC20) returns (uint256) {
        return holder == CLEARINGHOUSE ? _shares.ofClearinghouse : _sharesOf[holder];
    }

    /// @dev OpenZeppelin's `_update` (mint, burn, transfer; same errors and Transfer event) on this
    ///      pool's share storage: the supply and the Clearinghouse's shares in one slot, read and
    ///      written once per call, other holders in `_sharesOf`.
    function _update(address from, address to, uint256 value) internal override {
        bool packed = from == address(0) || to == address(0) || from == CLEARINGHOUSE || to == CLEARINGHOUSE;
        SharesSlot memory t;
        if (packed) t = _shares;
        if (from == address(0)) {
            t.supply = (uint256(t.supply) + value).toUint128();
        } else {
            uint256 fromShares = from == CLEARINGHOUSE ? t.ofClearinghouse : _sharesOf[from];
            require(fromShares >= value, ERC20InsufficientBalance(from, fromShares, value));
            // value ≤ fromShares: no underflow; the Clearinghouse's part fits 128 bits as it did
            if (from == CLEARINGHOUSE) t.ofClearinghouse = uint128(fromShares - value);
            else _sharesOf[from] = fromShares - value;
        }
        // value ≤ supply on a burn and every holder's shares ≤ supply < 2^128: the casts and sums are safe
        if (to == address(0)) t.supply -= uint128(value);
        else if (to == CLEARINGHOUSE) t.ofClearinghouse += uint128(value);
        else _sharesOf[to] += value;
        if (packed) _shares = t;
        emit Transfer(from, to, value);
    }

    function _onlyClearinghouse() internal view {
        require(msg.sender == CLEARINGHOUSE, NotClearinghouse(msg.sender));
    }

    /// @dev An outside lender's withdrawal waits out the venue's incident freeze; the Clearinghouse's
    ///      own redemptions (a liquidation seizing lent collateral) go on.
    function _notFrozen() internal view {
        require(!frozen || msg.sender == CLEARINGHOUSE, Frozen());
    }

    /// @inheritdoc ILendingPool
    function setFrozen(bool frozen_) external {
        _onlyClearinghouse();
        frozen = frozen_;
    }
}
