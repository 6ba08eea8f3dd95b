// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IClearinghouse, SpotMarketParams, Position, LiquidationParams} from "./interfaces/IClearinghouse.sol";
import {PerpMarketParams} from "./interfaces/IPerpMarkets.sol";
import {IAtlas} from "./interfaces/IAtlas.sol";
import {AccountId, AccountIdLib} from "./types/AccountId.sol";
import {AssetWord, AssetWordLib} from "./types/AssetWord.sol";
import {AccountState} from "./types/AccountState.sol";
import {BalanceLib} from "./libraries/BalanceLib.sol";
import {MathLib} from "./libraries/MathLib.sol";
import {ClearinghouseLending} from "./ClearinghouseLending.sol";
import {LendingLib} from "./libraries/LendingLib.sol";
import {SharesMathLib} from "./libraries/SharesMathLib.sol";
import {AtlasMath} from "./libraries/AtlasMath.sol";
import {RiskLib} from "./libraries/RiskLib.sol";
import {PriceLib} from "./libraries/PriceLib.sol";
import {BookConfigLib} from "./types/BookConfig.sol";
import {TopWord} from "./types/TopWord.sol";
import {BookLib} from "./book/BookLib.sol";
import {SpotLib} from "./book/SpotLib.sol";
import {Market, MarketLib} from "./core/Market.sol";

/// @title ClearinghouseVault: the core's vault, one account per trader, every market settles here
/// @notice Balances, account state words, operators, the reserve, the asset and market registry,
/// ATLAS's valuation (`RiskLib`, over this contract's own storage) and the liquidation of debt.
/// Invariant I1 (docs/INVARIANTS.md): for every token the core holds exactly Σ idle balances +
/// Σ market pockets + Σ market fees not yet collected + reserve + the token's pool cash; the pools
/// themselves (lent balances, debts, outside lenders) are held here too (ClearinghouseLending, one
/// `LendingLib.State` per asset). The books are `ClearinghouseMarkets`' and `ClearinghousePerps'`.
abstract contract ClearinghouseVault is IClearinghouse, ClearinghouseLending {
    using PriceLib for PriceLib.State;
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using SafeCast for int256;
    using LendingLib for LendingLib.State;
    using MarketLib for Market;

    uint256 internal constant MAX_SHOCK_BPS = 5000;
    uint256 internal constant MAX_SLIPPAGE_BPS = 1000;
    /// @notice An operator's orders keep within this band around the oracle index unless the owner sets another.
    uint256 public constant DEFAULT_OPERATOR_BAND_BPS = 200;
    /// @notice The widest band an owner may allow its operators (so a band never stops bounding them).
    uint256 public constant MAX_OPERATOR_BAND_BPS = 5000;

    mapping(AccountId account => mapping(address token => BalanceLib.Balance)) internal _balances;
    /// @dev Held and owed assets, markets with a pocket, borrow policy, perp exposure (a liability
    ///      like debt: every exit is margin-checked while it is set) and the auction clock
    ///      (types/AccountState.sol draws the word).
    mapping(AccountId account => AccountState state) internal _state;
    mapping(AccountId account => mapping(address operator => bool)) internal _operators;
    /// @dev the price band of the account's operators, bps around the index (0 = DEFAULT_OPERATOR_BAND_BPS)
    mapping(AccountId account => uint256 bandBps) internal _operatorBandBps;
    mapping(address token => uint256 atoms) internal _reserve;
    /// @dev The asset with id `id` and its risk config in one word, for ATLAS's per-asset read
    ///      (types/AssetWord.sol draws it). Mirrors `_assets[token]` (listAsset and setAssetRisk write both).
    mapping(uint256 id => AssetWord word) internal _assetWord;
    uint256 internal _assetCount;
    /// @dev Every market, spot and perp, by id (1 to `_marketCount`): its constants, book and kind's state.
    mapping(uint256 marketId => Market) internal _markets;
    uint256 internal _marketCount;
    address public treasury;
    /// @dev bit i - 1: market i is a perp market (read by a valuation only for an account with a market).
    uint64 internal _perpMarketMask;
    /// @dev ATLAS's parameters (`setRiskParams`): the margin checks value accounts here (RiskLib) at
    ///      the core's own prices (`ClearinghousePrices`), which the perp markets' index reads too.
    RiskLib.Config internal _riskConfig;
    /// @dev Incident freeze (guardian sets, governance lifts): no withdrawals, transfers between
    ///      sub-accounts or voluntary borrows. Copied into every asset's config (`AssetConfig.frozen`),
    ///      which the exits read; this one is read by a settlement only when the account lets orders
    ///      borrow, and by the view.
    bool public frozen;
    LiquidationParams public liquidationParams;
    constructor(address authority, address treasury_) AccessManaged(authority) {
        require(treasury_ != address(0), ZeroAddress());
        treasury = treasury_;
        liquidationParams = LiquidationParams({rampSeconds: 600, capShareBps: 5000, bufferBps: 100});
    }

    // ------------------------------------------------------------------ accounts

    /// @inheritdoc IClearinghouse
    function deposit(address token, uint8 sub, uint256 amount) external nonReentrant {
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        uint256 shares = _payIn(acct, token, amount);
        emit Deposited(acct, token, amount);
        // a deposit into a balance in debt repaid it first: logged as a repayment too
        if (shares != 0) emit Repaid(acct, token, amount, shares);
        _endAuctionIfRestored(acct);
    }

    /// @inheritdoc IClearinghouse
    function repay(address token, address owner, uint8 sub, uint256 atoms) external nonReentrant {
        AccountId acct = AccountIdLib.from(owner, sub);
        emit Repaid(acct, token, atoms, _payIn(acct, token, atoms));
        _endAuctionIfRestored(acct);
    }

    /// @dev A flagged account that a payment restored (maintenance value ≥ 0) ends its auction, so a
    /// later fall starts a new one from a zero discount rather than at the cap. Only flagged accounts
    /// pay for the valuation; a valuation that fails (a stale price) leaves the flag: deposits never stop.
    function _endAuctionIfRestored(AccountId acct) internal {
        AccountState st = _state[acct];
        if (st.liquidatableSince() == 0) return;
        try this.maintenanceValue(acct) returns (int256 mv) {
            if (mv >= 0) {
                _state[acct] = st.withoutAuction();
                emit LiquidatableFlagged(acct, 0);
            }
        } catch {}
    }

    /// @dev Credits `atoms` the caller pays in (deposit, repay), pulled into the vault: an idle
    /// balance grows, a lent one gains the supply shares a deposit mints, and a balance in debt is
    /// repaid (the rest of a partial payment, less than one share's worth, stays in the pool's cash
    /// for its lenders; what exceeds the whole debt is credited). Returns the borrow shares burnt.
    function _payIn(AccountId acct, address token, uint256 atoms) internal returns (uint256 shares) {
        _pull(token, atoms);
        BalanceLib.Balance memory b = _balances[acct][token];
        if (b.amount >= 0 && !b.lent) {
            _setState(acct, _credit(acct, token, atoms, _state[acct]));
            return 0;
        }
        // a lent or negative balance is of a listed token with a pool (setLending, _debitTo check it)
        AssetConfig memory a = _assets[token];
        if (b.amount < 0) return _repayFrom(acct, token, b, a, atoms);
        int256 before = b.amount;
        b.amount = (before + _supplyPool(token, atoms).toInt256()).toInt248();
        _balances[acct][token] = b;
        // the held mask changes only for a first lent deposit: a repeat one reads no state word
        if (before == 0 && b.amount != 0) _setState(acct, _state[acct].track(a.id, b.amount));
    }

    /// @dev `atoms`, in the vault, repay the negative balance `b` of `token` (config `a`): the pool
    /// burns the shares they fully pay for (rounded down; the rest of a partial payment, less than one
    /// share's worth, joins its cash for its lenders) or the whole debt, and the excess is credited as
    /// a deposit. The state word is read only when the debt is cleared (a partial repayment leaves the
    /// masks as they are). Returns the borrow shares burnt.
    function _repayFrom(
        AccountId acct,
        address token,
        BalanceLib.Balance memory b,
        AssetConfig memory a,
        uint256 atoms
    ) internal returns (uint256 shares) {
        uint256 owed = uint256(-int256(b.amount));
        uint256 paid;
        (shares, paid) = _repayPool(token, owed, atoms, true);
        b.amount = -int256(owed - shares).toInt248();
        _balances[acct][token] = b;
        if (shares == owed) {
            AccountState st = _state[acct].track(a.id, 0);
            if (atoms > paid) st = _credit(acct, token, atoms - paid, st);
            _setState(acct, st);
        }
    }

    /// @inheritdoc IClearinghouse
    function withdraw(address token, uint8 sub, uint256 amount, address to) external nonReentrant {
        require(!_assets[token].frozen, Frozen());
        require(to != address(0), ZeroAddress());
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        AccountState st = _state[acct];
        AccountState st1 = _debitTo(acct, token, amount, st, st.borrowsForWithdrawals(), to);
        _setState(acct, _checked(acct, st1, st));
        IERC20(token).safeTransfer(to, amount); // the pool's part too: its cash is in the vault
        emit Withdrawn(acct, token, amount, to);
    }

    /// @inheritdoc IClearinghouse
    function borrow(address token, uint8 sub, uint256 atoms, address to) external nonReentrant {
        require(!_assets[token].frozen, Frozen());
        require(to != address(0), ZeroAddress());
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        AccountState st = _state[acct];
        AccountState st1 = _debitTo(acct, token, atoms, st, true, to);
        _setState(acct, _checked(acct, st1, st));
        IERC20(token).safeTransfer(to, atoms); // the pool's cash is in the vault
        // the debt itself was logged as Borrowed by _debit; the tokens leaving, as a withdrawal
        emit Withdrawn(acct, token, atoms, to);
    }

    /// @inheritdoc IClearinghouse
    function transfer(address token, uint8 fromSub, uint8 toSub, uint256 amount) external nonReentrant {
        require(!_assets[token].frozen, Frozen());
        require(fromSub != toSub, SameAccount());
        AccountId from = AccountIdLib.from(msg.sender, fromSub);
        AccountId to = AccountIdLib.from(msg.sender, toSub);
        AccountState st = _state[from];
        _setState(from, _checked(from, _debit(from, token, amount, st, false), st));
        _setState(to, _credit(to, token, amount, _state[to]));
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
    function setOperatorBand(uint8 sub, uint16 bandBps) external {
        require(bandBps != 0 && bandBps <= MAX_OPERATOR_BAND_BPS, InvalidOperatorBand(bandBps));
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        _operatorBandBps[acct] = bandBps;
        emit OperatorBandSet(acct, bandBps);
    }

    /// @inheritdoc IClearinghouse
    function setLending(address token, uint8 sub, bool lent) external nonReentrant {
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        LendingLib.State storage pool = _poolOf(token);
        BalanceLib.Balance memory b = _balances[acct][token];
        if (b.lent != lent) {
            if (b.amount > 0) {
                // idle atoms become supply shares, or shares become atoms (each rounded down: the pool's side)
                uint256 have = uint256(int256(b.amount));
                uint256 converted = lent ? _supplyPool(token, have) : _redeemPool(token, have);
                b.amount = converted.toInt256().toInt248();
            }
            b.lent = lent;
            _balances[acct][token] = b;
            AccountState st = _state[acct].track(_assets[token].id, b.amount);
            // lent funds count at the haircut: an account with debt must keep initial value >= 0
            _setState(acct, lent && b.amount > 0 ? _checked(acct, st, st) : st);
        }
        emit LendingSet(acct, token, lent);
    }

    /// @inheritdoc IClearinghouse
    function setBorrowPolicy(uint8 sub, bool forOrders, bool forWithdrawals) external {
        AccountId acct = AccountIdLib.from(msg.sender, sub);
        _state[acct] = _state[acct].withBorrowPolicy(forOrders, forWithdrawals);
        emit BorrowPolicySet(acct, forOrders, forWithdrawals);
    }

    // ------------------------------------------------------------------ markets

    /// @dev Applies a spot market's signed balance changes for `account` (the market's pocket could
    /// not cover a debit, or a sweep credits its proceeds). A debit beyond the free balance borrows if
    /// the account allows it for orders, else reverts InsufficientBalance. An account with a
    /// liability (debt or perp exposure) must keep initial value >= 0. `hints` bit 0: the pocket says
    /// the account may have debt; bit 1: the pocket was empty (a first settlement on this market).
    /// With no hint the vault may settle from the balances alone. A token whose delta is 0 is never
    /// read (the caller may pass 0 for it). Returns whether the account has a liability (the market
    /// then risk-checks its pocket-only actions).
    function _settle(
        uint256 index,
        address base,
        address quote,
        AccountId account,
        int256 baseDelta,
        int256 quoteDelta,
        uint256 hints
    ) internal returns (bool margin) {
        // Fast path, one slot per token: a known pocket of an account without liabilities whose idle
        // balances cover the debits and whose credits land on positive balances.
        bool baseDone = hints == 0 && _quick(account, base, baseDelta);
        bool quoteDone = hints == 0 && _quick(account, quote, quoteDelta);
        if (baseDone && quoteDone) return false;
        if (baseDone) baseDelta = 0;
        if (quoteDone) quoteDelta = 0;
        AccountState st0 = _state[account];
        AccountState st = st0.withMarket(index); // the account now may have a pocket on this market
        // a freeze stops voluntary borrowing (`frozen` is read only for an account that allows it)
        bool mayBorrow = st.borrowsForOrders() && !frozen;
        // credits first, so a trade's proceeds can pay for its other leg
        if (baseDelta > 0) st = _credit(account, base, uint256(baseDelta), st);
        if (quoteDelta > 0) st = _credit(account, quote, uint256(quoteDelta), st);
        if (baseDelta < 0) st = _debit(account, base, uint256(-baseDelta), st, mayBorrow);
        if (quoteDelta < 0) st = _debit(account, quote, uint256(-quoteDelta), st, mayBorrow);
        if (baseDelta < 0 || quoteDelta < 0) st = _checked(account, st, st0);
        _setState(account, st);
        margin = st.liable();
    }

    /// @dev Applies `delta` when no config, pool or state is needed; false leaves it to the slow path.
    /// A balance that reaches zero keeps its held bit (it is cleared lazily): the held mask means
    /// "may be non-zero", the owed mask stays exact.
    function _quick(AccountId account, address token, int256 delta) internal returns (bool) {
        if (delta == 0) return true;
        BalanceLib.Balance storage b = _balances[account][token];
        (int248 amount, bool lent) = (b.amount, b.lent);
        if (lent || amount <= 0) return false;
        int256 next = int256(amount) + delta;
        if (next < 0) return false;
        b.amount = int248(next); // |next| <= |amount| or amount + a credit the market computed: fits
        return true;
    }

    /// @dev Moves fees a market collected (already held by the core) into the reserve.
    function _creditReserve(address quote, uint256 quoteAmount) internal {
        _reserve[quote] += quoteAmount;
        emit ReserveCredited(quote, quoteAmount);
    }

    /// @dev Applies a perp market's cash change for `account` in its quote asset (a loss may always
    /// borrow) and, with `check` (the action added risk), requires initial value >= 0.
    function _settlePerp(uint256 index, address quote, AccountId account, int256 quoteDelta, bool check) internal {
        AccountState st0 = _state[account];
        AccountState st = st0.withMarket(index).withPerp();
        // losses, funding and fees may take the balance negative whatever the borrow policy
        if (quoteDelta > 0) st = _credit(account, quote, uint256(quoteDelta), st);
        else if (quoteDelta < 0) st = _debit(account, quote, uint256(-quoteDelta), st, true);
        _setState(account, st);
        if (!st0.liable()) _flagMarkets(account, st);
        if (check) {
            _requireInitial(account);
            // initial value >= 0 implies maintenance value >= 0: any running auction is over
            if (st.liquidatableSince() != 0) _state[account] = st.withoutAuction();
        }
    }

    /// @dev For a perp liquidation that unwinds a hedge: `baseAtoms` move from `from` to `to`,
    /// `quoteAtoms` from `to` to `from` (the liquidation checks the outcome).
    function _liquidationSwap(
        address base,
        address quote,
        AccountId from,
        AccountId to,
        uint256 baseAtoms,
        uint256 quoteAtoms
    ) internal {
        // credits first, so what each side receives can pay for what it gives
        _setState(to, _credit(to, base, baseAtoms, _state[to]));
        _setState(from, _credit(from, quote, quoteAtoms, _state[from]));
        _setState(to, _debit(to, quote, quoteAtoms, _state[to], true));
        _setState(from, _debit(from, base, baseAtoms, _state[from], true));
    }

    /// @dev Reverts InsufficientMargin if the account has a liability (debt or perp exposure) and
    /// initial value < 0.
    function _checkMargin(AccountId account) internal {
        if (_state[account].liable()) _requireInitial(account);
    }

    // ------------------------------------------------------------------ balance arithmetic

    /// @dev Pulls exactly `amount` from the caller into the vault: a fee-on-transfer token is refused
    /// by the balance check.
    function _pull(address token, uint256 amount) internal {
        require(amount != 0, ZeroAmount());
        require(_assets[token].id != 0, AssetNotListed(token));
        _pullExact(token, msg.sender, amount);
    }

    /// @dev Adds `atoms` to a balance: repays debt first, then holds the rest idle or lent.
    function _credit(AccountId acct, address token, uint256 atoms, AccountState st) internal returns (AccountState) {
        BalanceLib.Balance memory b = _balances[acct][token];
        AssetConfig memory a = _assets[token];
        if (b.amount < 0) {
            uint256 owedShares = uint256(-int256(b.amount));
            // the whole debt if `atoms` covers it, else the shares `atoms` fully pays for (rounded down)
            (uint256 shares, uint256 paid) = _repayPool(token, owedShares, atoms, false);
            if (shares == owedShares) {
                atoms -= paid;
                b.amount = 0;
            } else {
                _reserve[token] += atoms - paid; // sub-share dust, kept by the protocol
                b.amount = -int256(owedShares - shares).toInt248();
                atoms = 0;
            }
        }
        if (atoms != 0) {
            uint256 add = b.lent ? _supplyPool(token, atoms) : atoms;
            b.amount = (int256(b.amount) + add.toInt256()).toInt248();
        }
        _balances[acct][token] = b;
        return st.track(a.id, b.amount);
    }

    /// @dev Takes `atoms` from a balance: idle or lent funds first, then (if allowed) a borrow.
    /// Callers run `_checked` once after their debits.
    function _debit(AccountId acct, address token, uint256 atoms, AccountState st, bool mayBorrow)
        internal
        returns (AccountState)
    {
        return _debitTo(acct, token, atoms, st, mayBorrow, address(this));
    }

    /// @dev `_debit` for atoms that go to `payTo` (a withdrawal's receiver, named by `Borrowed`); the
    /// pool's part (a lent balance redeemed, a borrow) leaves its cash, which is in the vault: no
    /// token moves here.
    function _debitTo(AccountId acct, address token, uint256 atoms, AccountState st, bool mayBorrow, address payTo)
        internal
        returns (AccountState)
    {
        require(atoms != 0, ZeroAmount());
        BalanceLib.Balance memory b = _balances[acct][token];
        AssetConfig memory a = _assets[token];
        uint256 short = atoms;
        if (b.amount > 0) {
            uint256 have = uint256(int256(b.amount));
            if (b.lent) {
                // `atoms` (shares rounded up) if the supply is worth more, else all of it
                (uint256 burnt, uint256 got) = _withdrawPoolUpTo(token, have, atoms);
                b.amount = int256(have - burnt).toInt248();
                short = atoms - got;
            } else if (have >= atoms) {
                b.amount = int256(have - atoms).toInt248();
                short = 0;
            } else {
                short = atoms - have;
                b.amount = 0;
            }
        }
        if (short != 0) {
            // if/revert, not require: require would evaluate the error's arguments on the success path too
            if (!mayBorrow) revert InsufficientBalance(token, atoms, atoms - short);
            uint256 shares = _borrowPool(token, short); // NoPool without one
            b.amount = (int256(b.amount) - shares.toInt256()).toInt248();
            // the one log of this borrow: atoms, the borrow shares, the payee
            emit Borrowed(acct, token, short, shares, payTo);
        }
        _balances[acct][token] = b;
        return st.track(a.id, b.amount);
    }

    /// @dev After debits: an account with a liability (debt, or perp exposure: a position, resting
    /// perp orders, unsettled perp cash) must keep initial value >= 0. When it first has one, the
    /// markets it trades on are told, so they risk-check its pocket-only actions from now on.
    /// An account with neither owns only non-negative balances and pockets, whose value under any
    /// shock (below 100% with slippage, bounded at listing) stays >= 0: nothing to check.
    function _checked(AccountId acct, AccountState st, AccountState st0) internal returns (AccountState) {
        if (st.liable()) {
            _setState(acct, st);
            if (!st0.liable()) _flagMarkets(acct, st);
            _requireInitial(acct);
            // initial value >= 0 implies maintenance value >= 0: any running auction is over
            st = st.withoutAuction();
        }
        return st;
    }

    function _setState(AccountId acct, AccountState st) internal {
        if (!_state[acct].eq(st)) _state[acct] = st;
    }

    /// @dev First debt: tell every market the account trades on to risk-check its pocket-only actions.
    /// Perp markets are skipped: they margin-check every risk-adding action already.
    function _flagMarkets(AccountId acct, AccountState st) internal {
        uint256 m = st.markets() & ~uint256(_perpMarketMask);
        for (uint256 i; m != 0; ++i) {
            if (m & 1 != 0) SpotLib.setMargin(_markets[i + 1].spot, acct);
            m >>= 1;
        }
    }

    function _requireInitial(AccountId acct) internal {
        (,, int256 iv,,) = _valuation(acct, address(0), 2);
        require(iv >= 0, InsufficientMargin(acct, iv));
    }

    // ------------------------------------------------------------------ ATLAS (RiskLib)

    /// @dev One gather from this contract's storage and one `AtlasMath.risk` pass (`mode` as there), at
    /// prices a write path reads: a read from a feed is stored (`RiskLib.priceStored`). Reverts
    /// NoRiskEngine before `setRiskParams`.
    function _valuation(AccountId account, address extra, uint256 mode)
        internal
        returns (int256 equityWad, int256 maintWad, int256 initWad, AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b)
    {
        RiskLib.Config memory c;
        (c, e, b) = _gather(account, extra);
        RiskLib.priceStored(e, b, _prices);
        if (mode != 0) (equityWad, maintWad, initWad) = AtlasMath.risk(e, b, c.initialScaleBps, mode);
    }

    /// @dev `_valuation` for the views: the same prices in the same block, nothing stored.
    function _valuationView(AccountId account, address extra, uint256 mode)
        internal
        view
        returns (int256 equityWad, int256 maintWad, int256 initWad, AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b)
    {
        RiskLib.Config memory c;
        (c, e, b) = _gather(account, extra);
        RiskLib.pricePeek(e, b, _prices);
        if (mode != 0) (equityWad, maintWad, initWad) = AtlasMath.risk(e, b, c.initialScaleBps, mode);
    }

    /// @dev ATLAS's parameters and the account's unpriced entries (`RiskLib.gather`).
    function _gather(AccountId account, address extra)
        internal
        view
        returns (RiskLib.Config memory c, AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b)
    {
        c = _riskConfig;
        require(c.initialScaleBps != 0, NoRiskEngine());
        AccountState st = _state[account];
        // the perp mask only where there are markets to tell apart (its slot stays cold otherwise)
        uint256 perps = st.markets() != 0 ? _perpMarketMask : 0;
        (e, b) = RiskLib.gather(
            _balances[account], _assetWord, _assets, _pools, _markets, st, perps, account, extra, c.debtInterestSeconds
        );
    }

    /// @inheritdoc IClearinghouse
    function riskOf(AccountId account) external view returns (IAtlas.AccountRisk memory r) {
        (r.equityWad, r.maintenanceWad, r.initialWad,,) = _valuationView(account, address(0), 7);
    }

    /// @inheritdoc IClearinghouse
    function initialValue(AccountId account) external view returns (int256 v) {
        (,, v,,) = _valuationView(account, address(0), 2);
    }

    /// @inheritdoc IClearinghouse
    function maintenanceValue(AccountId account) public view returns (int256 v) {
        (, v,,,) = _valuationView(account, address(0), 1);
    }

    /// @inheritdoc IClearinghouse
    function liquidationQuote(AccountId account, address debtToken, address collateralToken)
        public
        view
        returns (
            int256 maintenanceWad,
            int256 equityWad,
            uint256 debtAtoms,
            uint256 debtPriceWad,
            uint256 collateralPriceWad,
            bool ordersOpen
        )
    {
        // the collateral as the what-if token: its price is read even if the account holds none.
        // No initial value: the conservative scenarios are about a third of the pass.
        AtlasMath.Entry[] memory e;
        AtlasMath.Book[] memory b;
        (equityWad, maintenanceWad,, e, b) = _valuationView(account, collateralToken, 5);
        (debtAtoms, debtPriceWad, collateralPriceWad, ordersOpen) =
            RiskLib.quoteTerms(e, b, debtToken, collateralToken);
    }

    // ------------------------------------------------------------------ liquidation

    /// @inheritdoc IClearinghouse
    function isLiquidatable(AccountId account) external view returns (bool) {
        return _riskConfig.initialScaleBps != 0 && maintenanceValue(account) < 0;
    }

    /// @dev `isLiquidatable` for a write path (its prices stored).
    function _isLiquidatable(AccountId account) internal returns (bool) {
        if (_riskConfig.initialScaleBps == 0) return false;
        (, int256 mv,,,) = _valuation(account, address(0), 1);
        return mv < 0;
    }

    /// @inheritdoc IClearinghouse
    /// @dev On a healthy account it ends a running auction instead (anyone may call, the owner
    /// has the reason to), so a later fall starts a new auction from a zero discount.
    function flagLiquidatable(AccountId account) external nonReentrant {
        (, int256 mv,,,) = _valuation(account, address(0), 1); // NoRiskEngine before one is set
        if (mv >= 0) {
            require(_state[account].liquidatableSince() != 0, NotLiquidatable(account, mv));
            _endAuction(account);
            return;
        }
        _flag(account);
    }

    /// @dev Ends a running auction (the account was restored).
    function _endAuction(AccountId account) internal {
        AccountState st = _state[account];
        if (st.liquidatableSince() != 0) {
            _state[account] = st.withoutAuction();
            emit LiquidatableFlagged(account, 0);
        }
    }

    /// @inheritdoc IClearinghouse
    function pruneMarkets(AccountId account) external nonReentrant {
        AccountState st = _state[account];
        uint256 m = st.markets();
        uint256 empty;
        for (uint256 i; m != 0; ++i) {
            if (m & 1 != 0 && _pocketEmpty(account, i)) empty |= 1 << i;
            m >>= 1;
        }
        if (empty != 0) {
            st = st.withoutMarkets(empty);
            // no perp market left with anything in it: no perp exposure, and no liability from it
            if (st.markets() & _perpMarketMask == 0) st = st.withoutPerp();
            _state[account] = st;
            emit MarketsPruned(account, empty);
        }
    }

    /// @dev Starts the account's auction clock unless it runs already.
    function _flag(AccountId account) internal {
        AccountState st = _state[account];
        if (st.liquidatableSince() == 0) {
            _state[account] = st.withLiquidatableSince(block.timestamp);
            emit LiquidatableFlagged(account, block.timestamp);
        }
    }

    /// @inheritdoc IClearinghouse
    function liquidate(
        AccountId account,
        address debtToken,
        uint256 repayAtoms,
        address collateralToken,
        uint8 liquidatorSub
    ) external nonReentrant returns (uint256 seized) {
        AccountId liquidator = AccountIdLib.from(msg.sender, liquidatorSub);
        require(!liquidator.eq(account), SelfLiquidation());
        require(repayAtoms != 0, ZeroAmount());
        // one valuation gives the maintenance value, the debt with interest and both prices
        // (NoRiskEngine before one is set); the collateral is the what-if token, priced even if not held
        (, int256 mvBefore,, AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) =
            _valuation(account, collateralToken, 5);
        (uint256 debt, uint256 pd, uint256 pc, bool ordersOpen) = RiskLib.quoteTerms(e, b, debtToken, collateralToken);
        require(mvBefore < 0, NotLiquidatable(account, mvBefore));
        if (ordersOpen) _requireNoOrders(account); // names the market and its count (none open: no reads)
        _flag(account);
        require(repayAtoms <= debt, RepayExceedsDebt(debtToken, repayAtoms, debt));
        uint256 discountBps = liquidationDiscountBps(account, collateralToken);
        seized = _seizeFor(debtToken, repayAtoms, pd, collateralToken, pc, discountBps);
        _moveForLiquidation(account, liquidator, debtToken, repayAtoms, collateralToken, seized, discountBps);
        // a fresh valuation afterwards (the repayment moved the pool's rate), without initial value
        (int256 equity, int256 mvAfter,,,) = _valuation(account, address(0), 5);
        require(mvAfter > mvBefore, LiquidationDidNotImprove(mvBefore, mvAfter));
        // the buffer rounded down (a smaller liquidation allowed: the liquidated account's side);
        // equity < 2^200 (Atlas's bound on every USD value), so the cast back is safe
        int256 buffer = equity > 0 ? int256(MathLib.bpsDown(uint256(equity), liquidationParams.bufferBps)) : int256(0);
        require(mvAfter <= buffer, LiquidationTooLarge(mvAfter, buffer));
        if (mvAfter >= 0) _state[account] = _state[account].withoutAuction(); // healthy: the auction ends
    }

    function _moveForLiquidation(
        AccountId account,
        AccountId liquidator,
        address debtToken,
        uint256 repayAtoms,
        address collateralToken,
        uint256 seized,
        uint256 discountBps
    ) internal {
        AccountState lst0 = _state[liquidator];
        (AccountState lst, uint256 shares) = _repayDebtOf(account, liquidator, debtToken, repayAtoms, lst0);
        // lent collateral its pool has no cash to redeem moves as the pool's supply shares
        uint256 moved = _seize(account, collateralToken, seized);
        lst = moved == 0
            ? _credit(liquidator, collateralToken, seized, lst)
            : _creditShares(liquidator, collateralToken, moved, lst);
        _setState(liquidator, _checked(liquidator, lst, lst0));
        // logged here, where the shares are at hand (the caller's checks after it revert it all or keep it)
        emit Liquidated(account, liquidator, debtToken, repayAtoms, shares, collateralToken, seized, discountBps);
    }

    /// @dev The liquidator's idle or lent funds repay the account's debt (at most the debt: checked
    /// by the caller against `liquidationQuote`).
    function _repayDebtOf(AccountId account, AccountId liquidator, address debtToken, uint256 repayAtoms, AccountState lst0)
        internal
        returns (AccountState lst, uint256 shares)
    {
        lst = _debit(liquidator, debtToken, repayAtoms, lst0, false);
        // the account is in debt in `debtToken` (repayAtoms ≤ its debt > 0): the atoms repay it as a
        // repayment from a wallet does, the sub-share dust staying in the pool's cash for its lenders.
        // `Liquidated` logs the shares burnt (no `Repaid`)
        shares = _repayFrom(account, debtToken, _balances[account][debtToken], _assets[debtToken], repayAtoms);
    }

    /// @dev Takes collateral from the account being liquidated: no borrowing and no margin check.
    /// Returns the supply shares taken instead of atoms when the pool could not pay the atoms out (0
    /// when the atoms are in the vault).
    function _seize(AccountId account, address token, uint256 seized) internal returns (uint256 moved) {
        int256 have = balanceOf(account, token);
        // if/revert, not require: require would evaluate the error's arguments on the success path too
        if (!(have > 0 && uint256(have) >= seized)) {
            revert InsufficientCollateral(token, seized, have > 0 ? uint256(have) : 0);
        }
        AccountState st;
        (st, moved) = _debitNoCheck(account, token, seized, _state[account]);
        _setState(account, st);
    }

    /// @dev A debit that never borrows and skips the margin check: the liquidated side. A lent balance
    /// is redeemed; if the pool cannot pay (no cash), the shares worth `atoms` (rounded up, against
    /// the account: ≤ its shares, since they are worth at least `atoms`) are taken instead and
    /// returned as `moved`, for the caller to credit as shares.
    function _debitNoCheck(AccountId acct, address token, uint256 atoms, AccountState st)
        internal
        returns (AccountState, uint256 moved)
    {
        BalanceLib.Balance memory b = _balances[acct][token];
        AssetConfig memory a = _assets[token];
        uint256 have = uint256(int256(b.amount));
        if (b.lent) {
            (uint256 burnt, bool asShares) = _seizePool(token, atoms);
            if (asShares) moved = burnt;
            b.amount = int256(have - burnt).toInt248();
        } else {
            b.amount = int256(have - atoms).toInt248();
        }
        _balances[acct][token] = b;
        return (st.track(a.id, b.amount), moved);
    }

    /// @dev Credits supply shares of `token`'s pool (lent collateral seized as shares): the balance
    /// must be empty or lent already, and is lent afterwards.
    function _creditShares(AccountId acct, address token, uint256 shares, AccountState st) internal returns (AccountState) {
        BalanceLib.Balance memory b = _balances[acct][token];
        require(b.amount == 0 || (b.lent && b.amount > 0), SeizedAsShares(token));
        if (!b.lent) emit LendingSet(acct, token, true);
        b.lent = true;
        b.amount = (int256(b.amount) + shares.toInt256()).toInt248();
        _balances[acct][token] = b;
        return st.track(_assets[token].id, b.amount);
    }

    function _requireNoOrders(AccountId account) internal view {
        uint256 m = _state[account].markets();
        for (uint256 i; m != 0; ++i) {
            if (m & 1 != 0) {
                uint256 n = _markets[i + 1].openCount(account);
                require(n == 0, OrdersStillOpen(i + 1, n));
            }
            m >>= 1;
        }
    }

    /// @inheritdoc IClearinghouse
    /// @dev Dutch auction: 0 when first found liquidatable, growing linearly to a cap below the
    /// collateral's shock + slippage, so each liquidation raises the maintenance value.
    function liquidationDiscountBps(AccountId account, address collateral) public view returns (uint256) {
        LiquidationParams memory p = liquidationParams;
        AssetConfig memory a = _assets[collateral];
        // rounded down both times: a smaller discount, the liquidated account's side
        uint256 cap = MathLib.bpsDown(uint256(a.shockBps) + a.slippageBps, p.capShareBps);
        uint256 elapsed = block.timestamp - _state[account].liquidatableSince();
        return elapsed >= p.rampSeconds ? cap : MathLib.mulDivDown(cap, elapsed, p.rampSeconds);
    }

    /// @dev Collateral atoms worth `repay` of debt at oracle prices (`pd`, `pc`: the valuation's, the ones
    /// it valued the account at), grossed up by the discount; rounded down (the liquidated
    /// account's side: it gives up no more than owed).
    function _seizeFor(address debtToken, uint256 repay_, uint256 pd, address collToken, uint256 pc, uint256 discountBps)
        internal
        view
        returns (uint256)
    {
        uint256 usdWad = MathLib.mulDivDown(repay_, pd, 10 ** _assets[debtToken].decimals);
        return MathLib.mulDivDown(usdWad * 10 ** _assets[collToken].decimals, 10_000, pc * (10_000 - discountBps));
    }

    /// @dev Collateral worth at most this (USD, WAD: one cent) may be written off with the debt.
    uint256 internal constant DUST_WAD = 1e16;

    /// @inheritdoc IClearinghouse
    function settleBadDebt(AccountId account, address token) external nonReentrant {
        AccountState st = _state[account];
        uint256 held = st.held();
        uint256 dust; // ids (bits) of the positive balances left
        for (uint256 i; held != 0; ++i) {
            // held bits are cleared lazily: read the balances themselves
            if (held & 1 != 0 && _balances[account][_tokenAt(i + 1)].amount > 0) dust |= 1 << i;
            held >>= 1;
        }
        // Dust no liquidation can take keeps no insolvent account from a write-off: if equity < 0
        // and it is worth at most DUST_WAD, it goes to the reserve first (the account's own assets
        // are the first step of the waterfall).
        if (dust != 0) {
            (int256 equityWad,,,,) = _valuation(account, address(0), 4);
            require(equityWad < 0, NotBankrupt(account));
        }
        // perp positions and unsettled perp cash count too: resolve them first
        require(_pocketsEmpty(account, st.markets()), NotBankrupt(account));
        BalanceLib.Balance memory b = _balances[account][token];
        require(b.amount < 0, NoDebt(token));
        uint256 dustWad;
        for (uint256 i; dust != 0; ++i) {
            if (dust & 1 != 0) (st, dustWad) = _seizeDust(account, _tokenAt(i + 1), st, dustWad);
            dust >>= 1;
        }
        require(dustWad <= DUST_WAD, NotBankrupt(account));
        uint256 shares = uint256(-int256(b.amount));
        uint256 loss = _writeOffPool(token, shares);
        b.amount = 0;
        _balances[account][token] = b;
        // every pocket is empty (checked above): no market's parameters count any more, and no perp
        // exposure is left
        _setState(account, st.track(_assets[token].id, 0).withoutMarkets(st.markets()).withoutPerp());
        emit BadDebtSettled(account, token, shares, loss);
    }

    /// @inheritdoc IClearinghouse
    function holdsNoAssets(AccountId account) external view returns (bool) {
        return _holdsNothing(account, _state[account], _perpMarketMask);
    }

    /// @dev No positive balance and nothing in the markets' pockets, skipping markets in `skip`.
    function _holdsNothing(AccountId account, AccountState st, uint256 skip) internal view returns (bool) {
        uint256 held = st.held();
        for (uint256 i; held != 0; ++i) {
            // held bits are cleared lazily: read the balances themselves
            if (held & 1 != 0 && _balances[account][_tokenAt(i + 1)].amount > 0) return false;
            held >>= 1;
        }
        return _pocketsEmpty(account, st.markets() & ~skip);
    }

    /// @dev Nothing in the pockets of the markets in `m` (a perp market's pocket shape counts its
    /// position and unsettled cash too).
    function _pocketsEmpty(AccountId account, uint256 m) internal view returns (bool) {
        for (uint256 i; m != 0; ++i) {
            if (m & 1 != 0 && !_pocketEmpty(account, i)) return false;
            m >>= 1;
        }
        return true;
    }

    /// @dev Nothing in the account's pocket on the market of bit `i`: no locked or unswept funds, no
    /// open orders (a perp market's pocket shape counts its position and unsettled cash too).
    function _pocketEmpty(AccountId account, uint256 i) internal view returns (bool) {
        (uint256 lb, uint256 lq, uint256 ub, uint256 uq, uint256 n) = _markets[i + 1].pocketOf(account);
        return lb | lq | ub | uq | n == 0;
    }

    /// @dev Moves a bankrupt account's whole positive balance (lent shares redeemed, rounded down
    /// by the pool) to the reserve; adds its USD value, rounded up (against the write-off), to `wad`.
    function _seizeDust(AccountId account, address token, AccountState st, uint256 wad)
        internal
        returns (AccountState, uint256)
    {
        BalanceLib.Balance memory d = _balances[account][token];
        AssetConfig memory a = _assets[token];
        uint256 atoms = uint256(int256(d.amount));
        if (d.lent) atoms = _redeemPool(token, atoms);
        _reserve[token] += atoms;
        d.amount = 0;
        _balances[account][token] = d;
        emit ReserveCredited(token, atoms);
        (uint256 p,) = _requirePrice(token);
        return (st.track(a.id, 0), wad + MathLib.mulDivUp(atoms, p, 10 ** a.decimals));
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IClearinghouse
    function listAsset(address token) external restricted {
        require(token != address(0), ZeroAddress());
        require(_assets[token].id == 0, AssetAlreadyListed(token));
        uint256 id = _assetCount + 1;
        require(id <= 64, CapacityReached());
        _assetCount = id;
        uint8 decimals = IERC20Metadata(token).decimals();
        // conservative defaults until governance sets the asset's risk: a 10% shock, 1% slippage
        _assets[token] = AssetConfig(uint8(id), decimals, 1000, 100, 9800, address(0), frozen);
        _assetWord[id] = AssetWordLib.from(token, decimals, 1000, 100, 9800);
        emit AssetListed(token, decimals);
    }

    /// @inheritdoc IClearinghouse
    function setAssetRisk(address token, uint16 shockBps, uint16 slippageBps, uint16 lentHaircutBps)
        external
        restricted
    {
        AssetConfig storage a = _assets[token];
        require(a.id != 0, AssetNotListed(token));
        require(
            shockBps != 0 && shockBps <= MAX_SHOCK_BPS && slippageBps <= MAX_SLIPPAGE_BPS && lentHaircutBps <= 10_000,
            InvalidRiskParams()
        );
        (a.shockBps, a.slippageBps, a.lentHaircutBps) = (shockBps, slippageBps, lentHaircutBps);
        _assetWord[a.id] = AssetWordLib.from(token, a.decimals, shockBps, slippageBps, lentHaircutBps);
        emit AssetRiskSet(token, shockBps, slippageBps, lentHaircutBps);
    }

    /// @inheritdoc IClearinghouse
    function setRiskParams(uint16 initialScaleBps, uint32 debtInterestSeconds) external restricted {
        require(
            initialScaleBps >= 10_000 && initialScaleBps <= 20_000 && debtInterestSeconds <= 365 days,
            InvalidRiskParams()
        );
        _riskConfig = RiskLib.Config(initialScaleBps, debtInterestSeconds);
        _checkPerpBounds(initialScaleBps, liquidationParams.capShareBps);
        emit RiskParamsSet(initialScaleBps, debtInterestSeconds);
    }

    /// @inheritdoc IClearinghouse
    function riskParams() external view returns (uint16 initialScaleBps, uint32 debtInterestSeconds) {
        RiskLib.Config memory c = _riskConfig;
        return (c.initialScaleBps, c.debtInterestSeconds);
    }

    /// @inheritdoc IClearinghouse
    function setLiquidationParams(LiquidationParams calldata p) external restricted {
        require(p.rampSeconds != 0 && p.capShareBps < 10_000 && p.bufferBps <= 2000, InvalidRiskParams());
        liquidationParams = p;
        if (_riskConfig.initialScaleBps != 0) _checkPerpBounds(_riskConfig.initialScaleBps, p.capShareBps);
        emit LiquidationParamsSet(p);
    }

    /// @dev docs/RISK.md, "Parameter bounds", for every perp market.
    function _checkPerpBounds(uint256 scaleBps, uint256 capShareBps) internal view {
        uint256 m = _perpMarketMask;
        for (uint256 i; m != 0; ++i) {
            if (m & 1 != 0) {
                Market storage mk = _markets[i + 1];
                _checkPerpBounds(i + 1, mk.basisBps, mk.maxPremiumBps, mk.floorBps, scaleBps, capShareBps);
            }
            m >>= 1;
        }
    }

    /// @dev With basis charge β, premium clamp c, floor φ (bps), initial scale k and cap share q (bps
    /// of 10⁴): β·(k − 1.3·q) ≥ 1.3·c, i.e. β·(10·k − 13·q) ≥ 13·c·10⁴ in integers (k − 1.3·q ≤ 0
    /// fails unless c = 0), and 2·φ ≤ β.
    function _checkPerpBounds(
        uint256 marketId,
        uint256 basisBps,
        uint256 maxPremiumBps,
        uint256 floorBps,
        uint256 scaleBps,
        uint256 capShareBps
    ) internal pure {
        uint256 lhs = 10 * scaleBps > 13 * capShareBps ? basisBps * (10 * scaleBps - 13 * capShareBps) : 0;
        require(
            lhs >= 13 * maxPremiumBps * 10_000 && 2 * floorBps <= basisBps,
            PerpRiskBounds(marketId, basisBps, maxPremiumBps, floorBps)
        );
    }

    /// @inheritdoc IClearinghouse
    function freeze() external restricted {
        _setFrozen(true);
    }

    /// @inheritdoc IClearinghouse
    function unfreeze() external restricted {
        _setFrozen(false);
    }

    /// @dev The venue's flag, and each pool's (outside lenders' withdrawals through its LendingVault).
    function _setFrozen(bool frozen_) internal {
        frozen = frozen_;
        for (uint256 id = 1; id <= _assetCount; ++id) {
            address token = _tokenAt(id);
            _assets[token].frozen = frozen_;
            _setPoolFrozen(token, frozen_);
        }
        emit FrozenSet(frozen_);
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

    // ------------------------------------------------------------------ views

    /// @inheritdoc IClearinghouse
    function isOperator(AccountId account, address operator) external view returns (bool) {
        return _operators[account][operator];
    }

    /// @inheritdoc IClearinghouse
    function operatorBandOf(AccountId account) public view returns (uint256 bandBps) {
        bandBps = _operatorBandBps[account];
        if (bandBps == 0) bandBps = DEFAULT_OPERATOR_BAND_BPS;
    }

    /// @inheritdoc IClearinghouse
    /// @dev Index in ticks = (price(base) · 10^quoteDecimals · lotSize) / (price(quote) · 10^baseDecimals · tickSize);
    ///      minTick = ⌈index · (1 − band)⌉ and maxTick = ⌊index · (1 + band)⌋, each rounded inward (the
    ///      account's side: the band never widens by rounding). Only operator placements ask, so the
    ///      owner's own orders read no oracle. Public: an operator's placement calls it internally.
    function operatorTickBand(
        AccountId account,
        address operator,
        address base,
        address quote,
        uint256 lotSize,
        uint256 tickSize
    ) public view returns (bool approved, uint256 minTick, uint256 maxTick) {
        if (!_operators[account][operator]) return (false, 0, 0);
        require(_riskConfig.initialScaleBps != 0, NoRiskEngine());
        (uint256 baseWad,) = _prices.price(base);
        (uint256 quoteWad,) = _prices.price(quote);
        uint256 band = operatorBandOf(account);
        // price of one lot in tick units = num / den; markets' tokens are listed, so their decimals are known
        uint256 num = baseWad * 10 ** _assets[quote].decimals;
        uint256 den = quoteWad * 10 ** _assets[base].decimals * tickSize * 10_000;
        minTick = MathLib.fullMulDivUp(num * (10_000 - band), lotSize, den);
        maxTick = MathLib.fullMulDivDown(num * (10_000 + band), lotSize, den);
        approved = true;
    }

    /// @inheritdoc IClearinghouse
    function balanceOf(AccountId account, address token) public view returns (int256) {
        BalanceLib.Balance memory b = _balances[account][token];
        if (b.amount < 0) return -int256(_debtAtoms(token, uint256(-int256(b.amount))));
        if (b.lent) return int256(_lentAtoms(token, uint256(int256(b.amount))));
        return b.amount;
    }

    /// @inheritdoc IClearinghouse
    function perpMarketMask() external view returns (uint256) {
        return _perpMarketMask;
    }

    /// @inheritdoc IClearinghouse
    function riskEntries(AccountId account, address extra)
        external
        view
        returns (AtlasMath.Entry[] memory entries, AtlasMath.Book[] memory books)
    {
        (,,, entries, books) = _valuationView(account, extra, 0);
    }

    /// @inheritdoc IClearinghouse
    function assetWordOf(address token) external view returns (uint256) {
        AssetConfig memory a = _assets[token];
        require(a.id != 0, AssetNotListed(token));
        return AssetWord.unwrap(AssetWordLib.from(token, a.decimals, a.shockBps, a.slippageBps, a.lentHaircutBps));
    }

    /// @dev The ids of the markets whose bits are set in `m`, in order.
    function _marketIdsIn(uint256 m) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](_popcount(m));
        uint256 n;
        for (uint256 i; m != 0; ++i) {
            if (m & 1 != 0) ids[n++] = i + 1;
            m >>= 1;
        }
    }

    function _tokenAt(uint256 id) internal view returns (address) {
        return _assetWord[id].token();
    }

    /// @inheritdoc IClearinghouse
    function positionsOf(AccountId account, address extra)
        external
        view
        returns (Position[] memory positions, uint256[] memory marketIds)
    {
        AccountState st = _state[account];
        uint256 held = st.held();
        bool addExtra = extra != address(0) && (_assets[extra].id == 0 || held & (1 << (_assets[extra].id - 1)) == 0);
        positions = new Position[](_popcount(held) + (addExtra ? 1 : 0));
        uint256 n;
        for (uint256 i; held != 0; ++i) {
            if (held & 1 != 0) positions[n++] = positionOf(account, _tokenAt(i + 1));
            held >>= 1;
        }
        if (addExtra) positions[n] = positionOf(account, extra);
        marketIds = _marketIdsIn(st.markets());
    }

    /// @inheritdoc IClearinghouse
    function positionOf(AccountId account, address token) public view returns (Position memory p) {
        AssetConfig memory a = _assets[token];
        require(a.id != 0, AssetNotListed(token));
        // account 0 (no one's) asks for the config alone (ATLAS, for an asset traded only as a perp):
        // its balance is always empty, so skip the cold read
        int248 amount;
        bool lent;
        if (AccountId.unwrap(account) != 0) {
            BalanceLib.Balance storage b = _balances[account][token];
            (amount, lent) = (b.amount, b.lent);
        }
        return Position(token, a.decimals, a.shockBps, a.slippageBps, a.lentHaircutBps, a.vault, amount, lent);
    }

    /// @inheritdoc IClearinghouse
    function accountState(AccountId account) external view returns (uint256) {
        return AccountState.unwrap(_state[account]);
    }

    /// @inheritdoc IClearinghouse
    function reserveOf(address token) external view returns (uint256) {
        return _reserve[token];
    }

    /// @inheritdoc IClearinghouse
    function marketCount() external view returns (uint256) {
        return _marketCount;
    }

    /// @inheritdoc IClearinghouse
    function isListed(address token) external view returns (bool) {
        return _assets[token].id != 0;
    }

    function _popcount(uint256 x) internal pure returns (uint256 c) {
        for (; x != 0; x &= x - 1) ++c;
    }
}

