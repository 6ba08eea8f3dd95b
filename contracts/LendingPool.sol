// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ILendingPool} from "./interfaces/ILendingPool.sol";
import {RateModel} from "./interfaces/ILending.sol";
import {RateModelLib} from "./libraries/RateModelLib.sol";
import {LendingLib} from "./libraries/LendingLib.sol";
import {SharesMathLib} from "./libraries/SharesMathLib.sol";

/// @title LendingPool: ERC-4626 lending pool for one asset; only the Clearinghouse borrows
/// @notice The pool's accounting is `LendingLib.State` (the library the one core will hold per asset);
/// this contract keeps who holds which supply shares, moves the tokens and checks deliveries.
/// Invariants (docs/LENDING.md; test/unit/lending.random.test.ts checks them after
/// every step of random sequences):
/// - L1 cash + totalBorrows = totalAssets + reserves, exactly (totalAssets is defined so);
/// - L2 reserves ≤ cash + totalBorrows (totalAssets never negative);
/// - L3 the asset balance of the pool ≥ cash (the pool holds every token it accounts for);
/// - L4 the borrow index never decreases;
/// - L5 the share price never decreases, except at writeOff.
contract LendingPool is ILendingPool, ERC4626, AccessManaged, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using LendingLib for LendingLib.State;

    /// @notice Hard bound on the reserve factor: at most half of the interest goes to the reserve.
    uint16 public constant MAX_RESERVE_FACTOR_BPS = LendingLib.MAX_RESERVE_FACTOR_BPS;
    /// @notice Hard bound on each rate of the model: 1000 % a year.
    uint256 public constant MAX_RATE_PER_YEAR_WAD = RateModelLib.MAX_RATE_PER_YEAR_WAD;
    /// @notice A cap this large means no cap: cash (uint112) can never exceed it.
    uint256 public constant NO_CAP = LendingLib.NO_CAP;
    /// @dev Virtual shares 10^6 against the first-depositor share-inflation attack (SharesMathLib):
    ///      an attacker must donate ~10^6 times what they hope to steal.
    uint8 internal constant DECIMALS_OFFSET = 6;

    address internal immutable CLEARINGHOUSE;

    /// @dev The pool's accounting (LendingLib draws its five slots); its `supplyShares` is this
    ///      token's total supply.
    LendingLib.State internal _pool;
    /// @dev Shares of every holder but the Clearinghouse; their sum is `_pool.outsideShares`, and the
    ///      Clearinghouse's shares are what they leave of the supply (`balanceOf`): a lent deposit or
    ///      withdrawal by the Clearinghouse (the pool's largest holder) reads and writes one slot for its
    ///      shares, the pool's supply word.
    mapping(address holder => uint256 shares) internal _sharesOf;

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
        _pool.init(address(asset_), model, reserveFactorBps_, supplyCapAssets, borrowCapAssets);
    }

    // ------------------------------------------------------------------ Clearinghouse

    /// @inheritdoc ILendingPool
    function borrow(uint256 assets, address to) external nonReentrant returns (uint256 shares) {
        _onlyClearinghouse();
        require(assets != 0, ZeroAmount());
        require(to != address(0), ZeroAddress());
        LendingLib.Snapshot memory s = _pool.accrued();
        shares = _pool.borrow(s, assets);
        _pool.write(asset(), s);
        IERC20(asset()).safeTransfer(to, assets);
        // no pool event: the Clearinghouse, the only borrower, logs every borrow once, per account
        // (`IClearinghouse.Borrowed`, with these shares)
    }

    /// @inheritdoc ILendingPool
    function supplyReceived(uint256 assets) external nonReentrant returns (uint256 shares) {
        _onlyClearinghouse();
        LendingLib.Snapshot memory s = _pool.accrued();
        _checkReceived(s.cash, assets);
        shares = _supply(s, assets, CLEARINGHOUSE);
        _pool.write(asset(), s);
        // deposit's events; the Clearinghouse's shares are the supply's rest (`balanceOf`)
        emit Transfer(address(0), CLEARINGHOUSE, shares);
        emit Deposit(CLEARINGHOUSE, CLEARINGHOUSE, assets, shares);
    }

    /// @inheritdoc ILendingPool
    function repay(uint256 shares) external nonReentrant returns (uint256 assets) {
        _onlyClearinghouse();
        require(shares != 0, ZeroAmount());
        LendingLib.Snapshot memory s = _pool.accrued();
        assets = LendingLib.repay(s, shares);
        _pool.write(asset(), s);
        _pullExact(msg.sender, assets);
        emit Repaid(msg.sender, assets, shares);
    }

    /// @inheritdoc ILendingPool
    function repayUpTo(uint256 maxShares, uint256 assets) external nonReentrant returns (uint256 shares, uint256 paid) {
        _onlyClearinghouse();
        require(maxShares != 0 && assets != 0, ZeroAmount());
        LendingLib.Snapshot memory s = _pool.accrued();
        (shares, paid) = LendingLib.repayShares(s, maxShares, assets);
        if (shares == 0) return (0, 0); // what is left of `assets` is not taken
        s.cash += paid; // checked to fit uint112 in write
        _pool.write(asset(), s);
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
        LendingLib.Snapshot memory s = _pool.accrued();
        _checkReceived(s.cash, assets);
        uint256 paid;
        (shares, paid) = LendingLib.repayShares(s, maxShares, assets);
        // the whole debt: the excess goes back; else the rest of a partial payment (less than one
        // share's worth) is kept as cash, for the lenders
        if (shares == maxShares) back = assets - paid; // only when assets covered the whole debt
        s.cash += assets - back; // checked to fit uint112 in write
        _pool.write(asset(), s);
        if (back != 0) IERC20(asset()).safeTransfer(CLEARINGHOUSE, back);
        // no pool event: the Clearinghouse logs this repayment once, per account (`IClearinghouse.Repaid`,
        // with these shares)
    }

    /// @inheritdoc ILendingPool
    function writeOff(uint256 shares) external nonReentrant returns (uint256 lossAssets, uint256 fromReserve) {
        _onlyClearinghouse();
        require(shares != 0, ZeroAmount());
        LendingLib.Snapshot memory s = _pool.accrued();
        (lossAssets, fromReserve) = LendingLib.writeOff(s, asset(), shares);
        _pool.write(asset(), s);
    }

    // ------------------------------------------------------------------ anyone

    /// @inheritdoc ILendingPool
    function accrueInterest() external nonReentrant {
        _pool.accrue(asset());
    }

    /// @inheritdoc IERC4626
    function previewRedeem(uint256 shares) public view override(IERC4626, ERC4626) returns (uint256) {
        return _toAssetsDown(shares, _pool.accrued()); // rounded down: the pool's side
    }

    /// @inheritdoc IERC4626
    function convertToAssets(uint256 shares) public view override(IERC4626, ERC4626) returns (uint256) {
        return _toAssetsDown(shares, _pool.accrued()); // rounded down, as ERC-4626 asks
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
        LendingLib.Snapshot memory s = _pool.accrued();
        shares = _supply(s, assets, receiver);
        _pool.write(asset(), s);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @dev A supply of `assets` into the accrued snapshot (LendingLib.supply: capped, shares rounded
    ///      down, the pool's side); reverts ERC4626ExceededMaxDeposit past maxDeposit.
    function _supply(LendingLib.Snapshot memory s, uint256 assets, address receiver)
        internal
        returns (uint256 shares)
    {
        bool ok;
        (shares, ok) = _pool.supply(s, assets);
        // `if`, not `require`: the error's arguments (a maxSupply) are worked out only on a refusal
        if (!ok) revert ERC4626ExceededMaxDeposit(receiver, assets, _pool.maxSupply(s));
    }

    /// @dev As deposit.
    function mint(uint256 shares, address receiver)
        public
        override(IERC4626, ERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        LendingLib.Snapshot memory s = _pool.accrued();
        bool ok;
        (assets, ok) = _pool.mintShares(s, shares); // assets rounded up: the pool's side
        if (!ok) revert ERC4626ExceededMaxMint(receiver, shares, _toSharesDown(_pool.maxSupply(s), s));
        _pool.write(asset(), s);
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
        LendingLib.Snapshot memory s = _pool.accrued();
        require(assets <= s.cash, InsufficientCash(assets, s.cash));
        uint256 maxAssets = _toAssetsDown(balanceOf(owner), s); // rounded down: the pool's side
        require(assets <= maxAssets, ERC4626ExceededMaxWithdraw(owner, assets, maxAssets));
        shares = _pool.withdraw(s, assets); // rounded up: the pool's side
        _pool.write(asset(), s);
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
        LendingLib.Snapshot memory s = _pool.accrued();
        uint256 maxShares = balanceOf(owner); // before the supply falls
        assets = _pool.redeem(s, shares); // rounded down: the pool's side; InsufficientCash first
        require(shares <= maxShares, ERC4626ExceededMaxRedeem(owner, shares, maxShares));
        _pool.write(asset(), s);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    /// @inheritdoc ILendingPool
    function withdrawUpTo(uint256 maxShares, uint256 assets, address receiver)
        external
        nonReentrant
        returns (uint256 shares, uint256 paid)
    {
        require(maxShares != 0 && assets != 0, ZeroAmount());
        LendingLib.Snapshot memory s = _pool.accrued();
        uint256 balance = balanceOf(msg.sender); // before the supply falls
        (shares, paid) = _pool.withdrawUpTo(s, maxShares, assets); // InsufficientCash first
        require(shares <= balance, ERC4626ExceededMaxRedeem(msg.sender, shares, balance));
        _pool.write(asset(), s);
        _withdraw(msg.sender, receiver, msg.sender, paid, shares);
    }

    /// @notice cash + totalBorrows − reserves, with interest accrued up to now.
    function totalAssets() public view override(IERC4626, ERC4626) returns (uint256) {
        return LendingLib.supplyAssets(_pool.accrued());
    }

    /// @notice Room left under the supply cap (and under what cash and the share supply can hold).
    function maxDeposit(address) public view override(IERC4626, ERC4626) returns (uint256) {
        return _pool.maxSupply(_pool.accrued());
    }

    /// @notice Shares the room under the supply cap buys (rounded down, as a deposit would).
    function maxMint(address) public view override(IERC4626, ERC4626) returns (uint256) {
        LendingLib.Snapshot memory s = _pool.accrued();
        return _toSharesDown(_pool.maxSupply(s), s);
    }

    /// @notice The owner's assets, but no more than the pool's cash; 0 while the venue is frozen.
    function maxWithdraw(address owner) public view override(IERC4626, ERC4626) returns (uint256) {
        if (_pool.limits.frozen && owner != CLEARINGHOUSE) return 0;
        LendingLib.Snapshot memory s = _pool.accrued();
        return Math.min(_toAssetsDown(balanceOf(owner), s), s.cash);
    }

    /// @notice The owner's shares, but no more than redeem for at most the pool's cash; 0 while the
    ///         venue is frozen.
    function maxRedeem(address owner) public view override(IERC4626, ERC4626) returns (uint256) {
        if (_pool.limits.frozen && owner != CLEARINGHOUSE) return 0;
        return Math.min(balanceOf(owner), _pool.maxRedeemByCash(_pool.accrued()));
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
        _pool.setRateModel(asset(), model);
    }

    /// @inheritdoc ILendingPool
    function setReserveFactor(uint16 reserveFactorBps_) external restricted nonReentrant {
        _pool.setReserveFactor(asset(), reserveFactorBps_);
    }

    /// @inheritdoc ILendingPool
    function setCaps(uint256 supplyCapAssets, uint256 borrowCapAssets) external restricted {
        _pool.setCaps(asset(), supplyCapAssets, borrowCapAssets);
    }

    /// @inheritdoc ILendingPool
    function withdrawReserve(uint256 assets, address treasury) external restricted nonReentrant {
        require(assets != 0, ZeroAmount());
        require(treasury != address(0), ZeroAddress());
        LendingLib.Snapshot memory s = _pool.accrued();
        LendingLib.withdrawReserve(s, assets);
        _pool.write(asset(), s);
        IERC20(asset()).safeTransfer(treasury, assets);
        emit ReserveWithdrawn(assets, treasury);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ILendingPool
    function clearinghouse() external view returns (address) {
        return CLEARINGHOUSE;
    }

    /// @inheritdoc ILendingPool
    function frozen() external view returns (bool) {
        return _pool.limits.frozen;
    }

    /// @inheritdoc ILendingPool
    function cash() external view returns (uint256) {
        return _pool.balances.cashAssets;
    }

    /// @inheritdoc ILendingPool
    function totalBorrows() external view returns (uint256) {
        return _pool.accrued().totalBorrows;
    }

    /// @inheritdoc ILendingPool
    function totalBorrowShares() external view returns (uint256) {
        return _pool.balances.borrowShares;
    }

    /// @inheritdoc ILendingPool
    function borrowIndexWad() external view returns (uint256) {
        return _pool.accrued().indexWad;
    }

    /// @inheritdoc ILendingPool
    function reserves() external view returns (uint256) {
        return _pool.accrued().reserves;
    }

    /// @inheritdoc ILendingPool
    function lastAccrualTimestamp() external view returns (uint256) {
        return _pool.balances.lastAccrual;
    }

    /// @inheritdoc ILendingPool
    function utilizationWad() public view returns (uint256) {
        LendingLib.Snapshot memory s = _pool.accrued();
        return RateModelLib.utilizationWad(s.cash, s.totalBorrows, s.reserves);
    }

    /// @inheritdoc ILendingPool
    function borrowRatePerSecondWad() public view returns (uint256) {
        return _pool.rateOf(_pool.accrued());
    }

    /// @inheritdoc ILendingPool
    function supplyRatePerSecondWad() external view returns (uint256) {
        return _pool.supplyRatePerSecondWad();
    }

    /// @inheritdoc ILendingPool
    function debtOf(uint256 shares) external view returns (uint256 assets) {
        return SharesMathLib.toDebtAssetsUp(shares, _pool.accrued().indexWad);
    }

    /// @inheritdoc ILendingPool
    function debtAndRateOf(uint256 shares) external view returns (uint256 assets, uint256 ratePerSecondWad) {
        LendingLib.Snapshot memory s = _pool.accrued();
        assets = SharesMathLib.toDebtAssetsUp(shares, s.indexWad);
        ratePerSecondWad = _pool.rateOf(s);
    }

    /// @inheritdoc ILendingPool
    function borrowQuote(uint256 extraAssets) external view returns (uint256 ratePerSecondWad, uint256 borrowable) {
        return _pool.borrowQuote(0, extraAssets);
    }

    /// @inheritdoc ILendingPool
    function borrowQuoteAfterRedeem(uint256 redeemedAssets, uint256 extraAssets)
        external
        view
        returns (uint256 ratePerSecondWad, uint256 borrowable)
    {
        return _pool.borrowQuote(redeemedAssets, extraAssets);
    }

    /// @inheritdoc ILendingPool
    function sharesForDebt(uint256 assets) external view returns (uint256 shares) {
        return SharesMathLib.toDebtSharesUp(assets, _pool.accrued().indexWad);
    }

    /// @inheritdoc ILendingPool
    function rateModel() external view returns (RateModel memory) {
        return _pool.model;
    }

    /// @inheritdoc ILendingPool
    function caps() external view returns (uint256 supplyCapAssets, uint256 borrowCapAssets) {
        LendingLib.Limits memory c = _pool.limits;
        return (c.supplyCapAssets, c.borrowCapAssets);
    }

    /// @inheritdoc ILendingPool
    function reserveFactorBps() external view returns (uint16) {
        return _pool.ledger.reserveFactorBps;
    }

    // ------------------------------------------------------------------ internals

    function _toSharesDown(uint256 assets, LendingLib.Snapshot memory s) internal view returns (uint256) {
        return SharesMathLib.toSharesDown(assets, LendingLib.supplyAssets(s), _pool.supplyShares);
    }

    function _toAssetsDown(uint256 shares, LendingLib.Snapshot memory s) internal view returns (uint256) {
        return SharesMathLib.toAssetsDown(shares, LendingLib.supplyAssets(s), _pool.supplyShares);
    }

    /// @dev Pulls `assets` from `from` after the caller stored cash with them counted in; the pool's
    ///      balance must then cover the stored cash (L3), so a token that delivers less is refused.
    ///      One warm balanceOf instead of a cold one before and a warm one after.
    function _pullExact(address from, uint256 assets) internal {
        IERC20(asset()).safeTransferFrom(from, address(this), assets);
        uint256 cashAfter = _pool.balances.cashAssets; // warm: just written
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
            revert TransferShortfall(asset(), assets, balance > cashBefore ? balance - cashBefore : 0);
        }
    }

    // ------------------------------------------------------------------ shares (ERC-20)

    /// @notice Shares in existence: the Clearinghouse's and every other holder's.
    function totalSupply() public view override(IERC20, ERC20) returns (uint256) {
        return _pool.supplyShares;
    }

    /// @notice Shares held by `holder` (the Clearinghouse's are what the others leave of the supply).
    function balanceOf(address holder) public view override(IERC20, ERC20) returns (uint256) {
        return holder == CLEARINGHOUSE ? _pool.supplyShares - _pool.outsideShares : _sharesOf[holder];
    }

    /// @dev OpenZeppelin's `_update` (mint, burn, transfer; same errors and Transfer event) on this
    ///      pool's share storage. The supply itself moves in LendingLib (supply, withdraw, redeem) before
    ///      a mint or burn gets here, and every burn's caller has checked the owner's balance first
    ///      (against the supply before it fell); here only holders other than the Clearinghouse are
    ///      booked, with their sum `_pool.outsideShares`.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && from != CLEARINGHOUSE) {
            uint256 fromShares = _sharesOf[from];
            require(fromShares >= value, ERC20InsufficientBalance(from, fromShares, value));
            _sharesOf[from] = fromShares - value; // value ≤ fromShares
            _pool.outsideShares -= uint128(value); // safe: value ≤ fromShares ≤ outsideShares < 2^128
        } else if (from == CLEARINGHOUSE && to != address(0)) {
            // a transfer out of the Clearinghouse's shares (a burn's balance was checked by its caller)
            uint256 fromShares = balanceOf(CLEARINGHOUSE);
            require(fromShares >= value, ERC20InsufficientBalance(from, fromShares, value));
        }
        if (to != address(0) && to != CLEARINGHOUSE) {
            _sharesOf[to] += value;
            _pool.outsideShares += uint128(value); // safe: value ≤ supply, and Σ holders ≤ supply < 2^128
        }
        // a transfer to the Clearinghouse needs no write: its part is the supply's rest
        emit Transfer(from, to, value);
    }

    function _onlyClearinghouse() internal view {
        require(msg.sender == CLEARINGHOUSE, NotClearinghouse(msg.sender));
    }

    /// @dev An outside lender's withdrawal waits out the venue's incident freeze; the Clearinghouse's
    ///      own redemptions (a liquidation seizing lent collateral) go on.
    function _notFrozen() internal view {
        require(!_pool.limits.frozen || msg.sender == CLEARINGHOUSE, Frozen());
    }

    /// @inheritdoc ILendingPool
    function setFrozen(bool frozen_) external {
        _onlyClearinghouse();
        _pool.setFrozen(frozen_);
    }
}
