// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAtlas} from "../interfaces/IAtlas.sol";
import {IClearinghouse} from "../interfaces/IClearinghouse.sol";
import {PerpRisk} from "../interfaces/IPerpMarkets.sol";
import {AccountId} from "../types/AccountId.sol";
import {AccountState} from "../types/AccountState.sol";
import {AssetWord} from "../types/AssetWord.sol";
import {AtlasMath} from "./AtlasMath.sol";
import {BalanceLib} from "./BalanceLib.sol";
import {EntryArrayLib} from "./EntryArrayLib.sol";
import {LendingLib} from "./LendingLib.sol";
import {PriceLib} from "./PriceLib.sol";
import {SharesMathLib} from "./SharesMathLib.sol";
import {ClearinghouseLending} from "../ClearinghouseLending.sol";
import {Market} from "../core/Market.sol";
import {SpotLib} from "../book/SpotLib.sol";
import {PerpLib} from "../perp/PerpLib.sol";

/// @title RiskLib: ATLAS inside the Clearinghouse
/// @notice Gathers one account's inputs into `AtlasMath` entries and values them, as docs/RISK.md
/// says. Everything is read from the core's storage, passed in as storage references: balances,
/// lent amounts, debts with their pools' rates, asset words, the account's state word, and on
/// each market it trades on its spot pocket or perp position (with the market's ATLAS
/// parameters), and each entry's price from the core's `PriceLib.State`: a write path stores a
/// Chainlink or Pyth read (`priceStored`), a view answers the same without storing (`pricePeek`).
/// No call leaves the core but a feed's, when its stored read is older than 3 s.
library RiskLib {
    using PriceLib for PriceLib.State;

    /// @dev ATLAS's two global parameters, one slot (governance's `setRiskParams`, which bounds them;
    /// initialScaleBps ≥ 10,000 once set, 0 before: the core values no account until then).
    struct Config {
        uint16 initialScaleBps;
        uint32 debtInterestSeconds;
    }

    /// @notice Holdings of an asset whose feed went stale are worth nothing below this (USD WAD: one
    /// dollar) at its last known price, so dust cannot block a valuation (and with it a liquidation);
    /// anything larger, or anything owed, waits for the feed.
    uint256 internal constant STALE_DUST_WAD = 1e18;

    /// @dev One account's entries and books, unpriced: everything ATLAS needs from storage but the prices.
    function gather(
        mapping(address => BalanceLib.Balance) storage balances,
        mapping(uint256 => AssetWord) storage assetWords,
        mapping(address => ClearinghouseLending.AssetConfig) storage assets,
        mapping(address => LendingLib.State) storage pools,
        mapping(uint256 => Market) storage markets,
        AccountState st,
        uint256 perpMask,
        AccountId account,
        address extra,
        uint256 interestSeconds
    ) internal view returns (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) {
        uint256 n;
        (e, n) = _vaultEntries(balances, assetWords, assets, pools, st, extra, interestSeconds);
        b = _marketEntries(e, n, assetWords, assets, markets, st, perpMask, account, interestSeconds);
    }

    /// @dev A liquidation quote's terms from a valuation's entries: the debt as the pool books it
    /// (rounded up; 0 for a token not owed) with its price, the collateral's price, and whether any
    /// order is open (asked only with a collateral token, the what-if token of that valuation).
    function quoteTerms(
        AtlasMath.Entry[] memory e,
        AtlasMath.Book[] memory b,
        address debtToken,
        address collateralToken
    ) internal pure returns (uint256 debtAtoms, uint256 debtPriceWad, uint256 collateralPriceWad, bool open) {
        for (uint256 i; i < e.length; ++i) {
            AtlasMath.Entry memory t = e[i];
            if (t.token == debtToken) (debtAtoms, debtPriceWad) = (t.debtAtoms, t.priceWad);
            if (t.token == collateralToken) collateralPriceWad = t.priceWad;
        }
        if (collateralToken != address(0)) open = ordersOpen(e, b);
    }

    /// @dev Whether any funds rest behind open orders: every resting spot order locks at least one
    /// atom a lot (a bid quote, an ask base) and every perp order its lots, reduce-only ones too.
    function ordersOpen(AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) internal pure returns (bool) {
        uint256 locked;
        for (uint256 j; j < b.length; ++j) {
            AtlasMath.Book memory k = b[j];
            locked |= k.lockedBaseAtoms | k.lockedQuoteAtoms;
        }
        for (uint256 i; i < e.length; ++i) {
            AtlasMath.Entry memory t = e[i];
            if (t.hasPerp) locked |= t.perpBidAtoms | t.perpAskAtoms;
        }
        return locked != 0;
    }

    // ------------------------------------------------------------------ the vault's side

    /// @dev One entry per held asset (and `extra`, the what-if token, if not held), from storage.
    /// Capacity for two more per market the account trades on (`_slot` appends at most that many).
    function _vaultEntries(
        mapping(address => BalanceLib.Balance) storage balances,
        mapping(uint256 => AssetWord) storage assetWords,
        mapping(address => ClearinghouseLending.AssetConfig) storage assets,
        mapping(address => LendingLib.State) storage pools,
        AccountState st,
        address extra,
        uint256 interestSeconds
    ) private view returns (AtlasMath.Entry[] memory e, uint256 n) {
        uint256 held = st.held();
        uint256 extraId;
        if (extra != address(0)) {
            extraId = assets[extra].id;
            require(extraId != 0, IClearinghouse.AssetNotListed(extra));
            if (held & (1 << (extraId - 1)) != 0) extraId = 0; // held already
        }
        e = EntryArrayLib.alloc(_popcount(held) + (extraId != 0 ? 1 : 0) + 2 * _popcount(st.markets()));
        for (uint256 i; held != 0; ++i) {
            if (held & 1 != 0) n = _held(e, n, balances, assets, pools, assetWords[i + 1], extra, interestSeconds);
            held >>= 1;
        }
        if (extraId != 0) n = _held(e, n, balances, assets, pools, assetWords[extraId], extra, interestSeconds);
    }

    /// @dev One held asset's entry: the signed amount in atoms (a debt as the pool books it, rounded
    /// up; a lent balance's value, rounded down: the pool's side both) and the pool's borrow rate,
    /// read only where ATLAS needs it (debt, a lent balance, or the what-if token), so an idle
    /// balance costs two slots (its asset word and its balance).
    function _held(
        AtlasMath.Entry[] memory e,
        uint256 n,
        mapping(address => BalanceLib.Balance) storage balances,
        mapping(address => ClearinghouseLending.AssetConfig) storage assets,
        mapping(address => LendingLib.State) storage pools,
        AssetWord cfg,
        address extra,
        uint256 interestSeconds
    ) private view returns (uint256) {
        address token = cfg.token();
        BalanceLib.Balance storage bal = balances[token];
        (int256 amount, bool lent) = (bal.amount, bal.lent);
        uint256 rate;
        if ((amount < 0 || lent || token == extra) && assets[token].vault != address(0)) {
            LendingLib.State storage pool = pools[token];
            LendingLib.Snapshot memory s = LendingLib.accrued(pool);
            rate = LendingLib.rateOf(pool, s);
            // safe casts: a debt is < 2^240 atoms (shares < 2^112, index < 2^128), a lent value ≤ 2^112
            if (amount < 0) amount = -int256(SharesMathLib.toDebtAssetsUp(uint256(-amount), s.indexWad));
            else if (lent) {
                amount = int256(SharesMathLib.toAssetsDown(uint256(amount), LendingLib.supplyAssets(s), pool.supplyShares));
            }
        }
        return _entry(e, n, cfg, lent, amount, rate, interestSeconds);
    }

    /// @dev A fresh entry at e[n] from an asset word, a signed amount in atoms and the pool's rate.
    function _entry(
        AtlasMath.Entry[] memory e,
        uint256 n,
        AssetWord a,
        bool lent,
        int256 amount,
        uint256 rate,
        uint256 interestSeconds
    ) private pure returns (uint256) {
        // unchecked: n < the capacity `_vaultEntries` allocated (one entry per asset, two per market).
        // `Entry memory x;` would allocate and zero a struct of its own first (docs/GAS.md)
        EntryArrayLib.setZeroed(e, n);
        AtlasMath.Entry memory x = e[n];
        x.token = a.token();
        x.unit = 10 ** a.decimals();
        x.shockBps = a.shockBps();
        x.slippageBps = a.slippageBps();
        x.haircutBps = a.lentHaircutBps();
        x.debtInterestSeconds = interestSeconds;
        if (amount <= 0) {
            x.borrowRateWad = rate;
            if (amount < 0) x.debtAtoms = uint256(-amount);
        } else if (lent) {
            x.lentAtoms = uint256(amount);
        } else {
            x.idleAtoms = uint256(amount);
        }
        return n + 1;
    }

    // ------------------------------------------------------------------ the markets' side

    /// @dev Each market of the account's mask, in index order: a perp market's position on its
    /// underlying, a spot market's pocket on its base and quote (and its locked funds as a Book).
    /// `n` entries are built already; `e` is cut to the entries built in the end.
    function _marketEntries(
        AtlasMath.Entry[] memory e,
        uint256 n,
        mapping(uint256 => AssetWord) storage assetWords,
        mapping(address => ClearinghouseLending.AssetConfig) storage assets,
        mapping(uint256 => Market) storage markets,
        AccountState st,
        uint256 perpMask,
        AccountId account,
        uint256 interestSeconds
    ) private view returns (AtlasMath.Book[] memory b) {
        uint256 m = st.markets();
        b = new AtlasMath.Book[](_popcount(m & ~perpMask)); // only spot books lock funds
        uint256 books;
        for (uint256 i; m != 0; ++i) {
            if (m & 1 != 0) {
                // bit i: market i + 1
                Market storage market = markets[i + 1];
                if ((perpMask >> i) & 1 != 0) {
                    n = _perp(e, n, assetWords, assets, market, account, interestSeconds);
                } else {
                    n = _book(e, n, b, books++, assetWords, assets, market, account, interestSeconds);
                }
            }
            m >>= 1;
        }
        EntryArrayLib.truncate(e, n);
    }

    /// @dev Adds one market's pocket to its base and quote entries and records its locked funds.
    function _book(
        AtlasMath.Entry[] memory e,
        uint256 n,
        AtlasMath.Book[] memory b,
        uint256 i,
        mapping(uint256 => AssetWord) storage assetWords,
        mapping(address => ClearinghouseLending.AssetConfig) storage assets,
        Market storage m,
        AccountId account,
        uint256 interestSeconds
    ) private view returns (uint256) {
        (address base, uint256 lotSize, address quote) = (m.base, m.lotSize, m.quote);
        (uint256 lb, uint256 lq, uint256 ub, uint256 uq,) =
            SpotLib.pocketAtoms(m.spot, lotSize, m.config.tickSize(), account);
        uint256 bi;
        uint256 qi;
        (n, bi) = _slot(e, n, assetWords, assets, base, interestSeconds);
        (n, qi) = _slot(e, n, assetWords, assets, quote, interestSeconds);
        e[bi].pocketAtoms += lb + ub;
        e[qi].pocketAtoms += lq + uq;
        b[i] = AtlasMath.Book(bi, qi, lb, lq);
        return n;
    }

    /// @dev Adds one perp market's position to its underlying (size, open orders, parameters) and its
    /// cash leg to the quote entry. Several perp markets on one underlying add up; their ATLAS
    /// parameters combine to the most conservative.
    function _perp(
        AtlasMath.Entry[] memory e,
        uint256 n,
        mapping(uint256 => AssetWord) storage assetWords,
        mapping(address => ClearinghouseLending.AssetConfig) storage assets,
        Market storage m,
        AccountId account,
        uint256 interestSeconds
    ) private view returns (uint256) {
        PerpRisk memory r;
        PerpLib.riskOf(m.perp, account, r, m.lotSize, int256(uint256(m.maxPremiumBps) * 100));
        uint256 ui;
        uint256 qi;
        (n, ui) = _slot(e, n, assetWords, assets, m.base, interestSeconds); // underlying
        (n, qi) = _slot(e, n, assetWords, assets, m.quote, interestSeconds);
        AtlasMath.Entry memory u = e[ui];
        u.hasPerp = true;
        u.perpAtoms += r.sizeAtoms;
        u.perpBidAtoms += r.bidAtoms;
        u.perpAskAtoms += r.askAtoms;
        (uint256 liquidityBps, uint256 impactUsd, uint256 basisBps, uint256 floorBps) =
            (m.liquidityBps, m.impactNotionalUsd, m.basisBps, m.floorBps);
        if (liquidityBps > u.perpLiquidityBps) u.perpLiquidityBps = liquidityBps;
        if (u.perpImpactUsd == 0 || (impactUsd != 0 && impactUsd < u.perpImpactUsd)) u.perpImpactUsd = impactUsd;
        if (basisBps > u.basisBps) u.basisBps = basisBps;
        if (floorBps > u.floorBps) u.floorBps = floorBps;
        e[qi].perpCashAtoms += r.cashAtoms;
        return n;
    }

    /// @dev Index of `token` among the first `n` entries, appending a bare entry if absent (a
    /// market's token the account holds no balance of: its config from the asset word).
    function _slot(
        AtlasMath.Entry[] memory e,
        uint256 n,
        mapping(uint256 => AssetWord) storage assetWords,
        mapping(address => ClearinghouseLending.AssetConfig) storage assets,
        address token,
        uint256 interestSeconds
    ) private view returns (uint256, uint256) {
        for (uint256 i; i < n; ++i) {
            if (EntryArrayLib.unsafeTokenAt(e, i) == token) return (n, i); // i < n <= e.length
        }
        uint256 id = assets[token].id;
        require(id != 0, IClearinghouse.AssetNotListed(token));
        return (_entry(e, n, assetWords[id], false, 0, 0, interestSeconds), n);
    }

    // ------------------------------------------------------------------ prices

    /// @dev Prices every entry for a write path: each read from a feed is stored (`PriceLib.readStored`).
    /// An entry without a usable price is valued at 0 or fails PriceUnavailable (`_unpriced`).
    function priceStored(AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b, PriceLib.State storage prices) internal {
        for (uint256 i; i < e.length; ++i) {
            AtlasMath.Entry memory x = e[i];
            (bool ok, uint256 p, uint256 sw) = prices.readStored(x.token);
            if (ok) (x.priceWad, x.stableWad) = (p, sw);
            else _unpriced(x, _inOpenBook(b, i), prices);
        }
    }

    /// @dev `priceStored` for a view: the same prices (the stored read while fresh, else the feed's),
    /// nothing stored.
    function pricePeek(AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b, PriceLib.State storage prices)
        internal
        view
    {
        for (uint256 i; i < e.length; ++i) {
            AtlasMath.Entry memory x = e[i];
            (bool ok, uint256 p, uint256 sw) = prices.tryPrice(x.token);
            if (ok) (x.priceWad, x.stableWad) = (p, sw);
            else _unpriced(x, _inOpenBook(b, i), prices);
        }
    }

    /// @dev An entry without a usable price: priced at 0 if it only holds (no debt, no perp on it or
    /// cash leg in it, no resting order on a book of it) and what it holds is worth less than
    /// `STALE_DUST_WAD` at the last stable anchor (`PriceLib.stableAnchorOf`); else `PriceUnavailable`.
    /// A resting order on a book of the asset is exposure at a price nobody knows: it waits for the
    /// feed too, so staleness alone can never make a healthy account liquidatable.
    function _unpriced(AtlasMath.Entry memory x, bool inOpenBook, PriceLib.State storage prices) private view {
        require(
            x.debtAtoms == 0 && !x.hasPerp && x.perpCashAtoms == 0 && !inOpenBook, IAtlas.PriceUnavailable(x.token)
        );
        (uint256 lastWad,) = prices.stableAnchorOf(x.token);
        uint256 held = x.idleAtoms + x.lentAtoms + x.pocketAtoms;
        // rounded up: the dust must be below the bound at the last price
        require(lastWad != 0 && AtlasMath.divUp(held * lastWad, x.unit) < STALE_DUST_WAD, IAtlas.PriceUnavailable(x.token));
        (x.priceWad, x.stableWad) = (0, 0);
    }

    /// @dev Whether entry `i` is the base or quote of a spot book where the account has funds locked.
    function _inOpenBook(AtlasMath.Book[] memory b, uint256 i) private pure returns (bool) {
        for (uint256 j; j < b.length; ++j) {
            AtlasMath.Book memory k = b[j];
            if ((k.baseIndex == i || k.quoteIndex == i) && k.lockedBaseAtoms | k.lockedQuoteAtoms != 0) return true;
        }
        return false;
    }

    function _popcount(uint256 x) private pure returns (uint256 c) {
        for (; x != 0; x &= x - 1) ++c;
    }
}
