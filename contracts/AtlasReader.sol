// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAtlas} from "./interfaces/IAtlas.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {IOracleRouter} from "./interfaces/IOracleRouter.sol";
import {IClearinghouse} from "./interfaces/IClearinghouse.sol";
import {ISpotMarket} from "./interfaces/ISpotMarket.sol";
import {IPerpMarket} from "./interfaces/IPerpMarket.sol";
import {AccountId} from "./types/AccountId.sol";
import {AccountState} from "./types/AccountState.sol";
import {AssetWord} from "./types/AssetWord.sol";
import {AtlasMath} from "./libraries/AtlasMath.sol";
import {EntryArrayLib} from "./libraries/EntryArrayLib.sol";
import {MemoryLib} from "./libraries/MemoryLib.sol";
import {StaticCallLib} from "./libraries/StaticCallLib.sol";

/// @title AtlasReader: what Atlas and AtlasLens share
/// @notice Gathers one account's balances, pockets, perp positions and prices into
/// `AtlasMath` entries, as `IAtlas` and docs/RISK.md say. One copy of the code for the risk
/// engine (Atlas) and its what-if views (AtlasLens).
abstract contract AtlasReader {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant WAD = 1e18;

    IClearinghouse internal immutable _CLEARINGHOUSE;
    IPriceOracle internal immutable _ORACLE;
    uint256 internal immutable _INITIAL_SCALE_BPS;
    uint256 internal immutable _DEBT_INTEREST_SECONDS;

    constructor(IClearinghouse clearinghouse, IPriceOracle oracle, uint256 initialScaleBps_, uint256 debtInterestSeconds_) {
        _CLEARINGHOUSE = clearinghouse;
        _ORACLE = oracle;
        _INITIAL_SCALE_BPS = initialScaleBps_;
        _DEBT_INTEREST_SECONDS = debtInterestSeconds_;
    }

    // ------------------------------------------------------------------ gathering

    /// @dev One gather and one `AtlasMath.risk` pass (`mode` as there); one copy of the code for
    /// every single-pass view, which keeps the contract under 24 KB.
    function _risk(AccountId account, address extra, uint256 mode)
        internal
        view
        returns (int256 equityWad, int256 maintWad, int256 initWad, AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b)
    {
        (e, b) = _gather(account, extra);
        (equityWad, maintWad, initWad) = AtlasMath.risk(e, b, _INITIAL_SCALE_BPS, mode);
    }

    /// @dev Balances and configs from the Clearinghouse (one call, raw words), pockets from the
    /// markets, prices from the oracle (one call). `extra` adds an entry for a token the account
    /// does not hold yet (for what-if views). One body on purpose: the price loop as a function of its
    /// own costs 50–400 gas per valuation (measured; docs/GAS.md).
    // solhint-disable-next-line function-max-lines
    function _gather(AccountId account, address extra)
        internal
        view
        returns (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b)
    {
        (uint256 st, uint256 perps, uint256[] memory w, address[] memory markets) = _riskInputs(account, extra);
        // at most one entry per word triple (`extra` among them) and two per market (its tokens, where
        // the account holds neither)
        e = EntryArrayLib.alloc(w.length / 3 + 2 * markets.length);
        uint256 n;
        uint256 end = w.length - w.length % 3;
        for (uint256 i; i < end; i += 3) {
            (uint256 cfg, uint256 amount, uint256 rate) = MemoryLib.unsafeTriple(w, i); // i + 2 < end <= w.length
            // safe: the Clearinghouse encodes a signed amount in this word
            n = _entry(e, n, cfg, int256(amount), rate);
        }
        b = new AtlasMath.Book[](markets.length);
        if (markets.length != 0) {
            // markets come in index order: walk the account's market mask to tell perps from spot
            uint256 m = AccountState.wrap(st).markets();
            uint256 k;
            uint256 books;
            for (uint256 i; m != 0; ++i) {
                if (m & 1 != 0) {
                    if ((perps >> i) & 1 != 0) n = _perp(e, n, IPerpMarket(markets[k]), account);
                    else n = _book(e, n, b, books++, ISpotMarket(markets[k]), account);
                    ++k;
                }
                m >>= 1;
            }
            EntryArrayLib.truncate(b, books); // only spot books lock funds
        }
        EntryArrayLib.truncate(e, n);
        // the oracle answers one price word per token, in order
        uint256 px = EntryArrayLib.tryPrices(address(_ORACLE), IPriceOracle.tryPrices.selector, e, n);
        // entries in order: the priced ones take their prices, each one without is valued at 0 (or
        // PriceUnavailable) before the next are priced
        for (uint256 i; (i = EntryArrayLib.applyPrices(e, px, i, n)) < n; ++i) {
            _staleDust(e[i], _inOpenBook(b, i));
        }
    }

    /// @notice Holdings of an asset whose feed went stale are worth nothing if they were worth less
    /// than this (USD WAD: one dollar) at its last known price, so dust cannot block a valuation (and
    /// with it a liquidation); anything larger, or anything owed, waits for the feed.
    uint256 internal constant STALE_DUST_WAD = 1e18;

    /// @dev An entry without a usable price: priced at 0 (its holdings count for nothing, against the
    /// account) if it only holds (no debt, no perp on it or cash leg in it) and what it holds is worth
    /// less than `STALE_DUST_WAD` at the last stable anchor (`OracleRouter.stableAnchorOf`: the last
    /// price the router knows, moved at most its bounded rate); else `PriceUnavailable`.
    /// A resting order on a book of the asset (either side: a bid may buy it, an ask sell into it) is
    /// exposure at a price nobody knows: it waits for the feed too, so staleness alone can never make
    /// a healthy account liquidatable.
    function _staleDust(AtlasMath.Entry memory x, bool inOpenBook) internal view {
        require(
            x.debtAtoms == 0 && !x.hasPerp && x.perpCashAtoms == 0 && !inOpenBook, IAtlas.PriceUnavailable(x.token)
        );
        (uint256 lastWad,) = IOracleRouter(address(_ORACLE)).stableAnchorOf(x.token);
        uint256 held = x.idleAtoms + x.lentAtoms + x.pocketAtoms;
        // rounded up: the dust must be below the bound at the last price
        require(lastWad != 0 && AtlasMath.divUp(held * lastWad, x.unit) < STALE_DUST_WAD, IAtlas.PriceUnavailable(x.token));
        (x.priceWad, x.stableWad) = (0, 0);
    }

    /// @dev Whether entry `i` is the base or quote of a spot book where the account has funds locked
    /// behind resting orders (read only for an entry without a usable price: off the hot path).
    function _inOpenBook(AtlasMath.Book[] memory b, uint256 i) internal pure returns (bool) {
        for (uint256 j; j < b.length; ++j) {
            AtlasMath.Book memory k = b[j];
            if ((k.baseIndex == i || k.quoteIndex == i) && k.lockedBaseAtoms | k.lockedQuoteAtoms != 0) return true;
        }
        return false;
    }

    /// @dev `riskInputsOf` through a raw staticcall. The Clearinghouse is ours and immutable, so its
    /// return data is used where it was copied (the arrays point into it) instead of being decoded
    /// and copied again word by word (~60 gas a word).
    function _riskInputs(AccountId account, address extra)
        private
        view
        returns (uint256 st, uint256 perps, uint256[] memory w, address[] memory markets)
    {
        uint256 p = StaticCallLib.staticcallInPlace(
            address(_CLEARINGHOUSE),
            IClearinghouse.riskInputsOf.selector,
            uint256(AccountId.unwrap(account)),
            uint256(uint160(extra))
        );
        st = MemoryLib.wordAt(p, 0);
        perps = MemoryLib.wordAt(p, 1);
        unchecked {
            // safe: the offsets of the two arrays in an answer copied to memory
            w = MemoryLib.uintArrayAt(p + MemoryLib.wordAt(p, 2));
            markets = MemoryLib.addressArrayAt(p + MemoryLib.wordAt(p, 3));
        }
    }

    /// @dev Adds one market's pocket to its base and quote entries and records its locked funds.
    function _book(
        AtlasMath.Entry[] memory e,
        uint256 n,
        AtlasMath.Book[] memory b,
        uint256 i,
        ISpotMarket m,
        AccountId account
    ) internal view returns (uint256) {
        (address base, address quote, uint256 lb, uint256 lq, uint256 ub, uint256 uq) = m.riskPocketOf(account);
        uint256 bi;
        uint256 qi;
        (n, bi) = _slot(e, n, base);
        (n, qi) = _slot(e, n, quote);
        e[bi].pocketAtoms += lb + ub;
        e[qi].pocketAtoms += lq + uq;
        b[i] = AtlasMath.Book(bi, qi, lb, lq);
        return n;
    }

    /// @dev Adds one perp market's position to its underlying (size, open orders, parameters) and its
    /// cash leg to the quote entry. Several perp markets on one underlying add up; their ATLAS
    /// parameters combine to the most conservative.
    function _perp(AtlasMath.Entry[] memory e, uint256 n, IPerpMarket m, AccountId account) internal view returns (uint256) {
        // `riskOf` through a raw staticcall (the market is one the Clearinghouse registered): its
        // `PerpRisk` is read where the return data was copied, field by field, not decoded into a
        // freshly zeroed struct
        uint256 r = StaticCallLib.staticcallInPlace(address(m), abi.encodeWithSelector(IPerpMarket.riskOf.selector, account));
        uint256 ui;
        uint256 qi;
        (n, ui) = _slot(e, n, address(uint160(MemoryLib.wordAt(r, 0)))); // underlying
        (n, qi) = _slot(e, n, address(uint160(MemoryLib.wordAt(r, 1)))); // quote
        AtlasMath.Entry memory u = e[ui];
        u.hasPerp = true;
        u.perpAtoms += int256(MemoryLib.wordAt(r, 2)); // sizeAtoms
        u.perpBidAtoms += MemoryLib.wordAt(r, 3);
        u.perpAskAtoms += MemoryLib.wordAt(r, 4);
        uint256 liquidityBps = MemoryLib.wordAt(r, 6);
        if (liquidityBps > u.perpLiquidityBps) u.perpLiquidityBps = liquidityBps;
        uint256 impactUsd = MemoryLib.wordAt(r, 7);
        if (u.perpImpactUsd == 0 || (impactUsd != 0 && impactUsd < u.perpImpactUsd)) u.perpImpactUsd = impactUsd;
        uint256 basisBps = MemoryLib.wordAt(r, 8);
        if (basisBps > u.basisBps) u.basisBps = basisBps;
        uint256 floorBps = MemoryLib.wordAt(r, 9);
        if (floorBps > u.floorBps) u.floorBps = floorBps;
        e[qi].perpCashAtoms += int256(MemoryLib.wordAt(r, 5)); // cashAtoms
        return n;
    }

    /// @dev One entry from the Clearinghouse's asset word (`riskInputsOf`), signed amount in atoms
    /// (a debt as the pool books it, rounded up; a lent balance's value, rounded down) and the pool's
    /// borrow rate, which the Clearinghouse reads where it is needed: debt (10 days of interest) or the
    /// what-if token (the rate of new debt). No call: the pools are the Clearinghouse's.
    function _entry(AtlasMath.Entry[] memory e, uint256 n, uint256 cfg, int256 amount, uint256 rate)
        internal
        view
        returns (uint256)
    {
        // a fresh zero entry at e[n], unchecked: n < the capacity `_gather` allocated, which counts one
        // entry per word triple and two per market, the most `_slot` can append for a market
        // `Entry memory x;` would allocate and zero a struct of its own first (docs/GAS.md)
        EntryArrayLib.setZeroed(e, n);
        AtlasMath.Entry memory x = e[n];
        AssetWord a = AssetWord.wrap(cfg);
        x.token = a.token();
        uint256 decimals = a.decimals();
        x.unit = 10 ** decimals;
        x.shockBps = a.shockBps();
        x.slippageBps = a.slippageBps();
        x.haircutBps = a.lentHaircutBps();
        x.debtInterestSeconds = _DEBT_INTEREST_SECONDS;
        if (amount <= 0) {
            x.borrowRateWad = rate;
            if (amount < 0) x.debtAtoms = uint256(-amount);
        } else if (a.lent()) {
            x.lentAtoms = uint256(amount);
        } else {
            x.idleAtoms = uint256(amount);
        }
        return n + 1;
    }

    /// @dev Index of `token` among the first `n` entries, appending a bare entry if absent
    /// (a market's token the account holds no balance of: its config comes from the Clearinghouse).
    function _slot(AtlasMath.Entry[] memory e, uint256 n, address token) internal view returns (uint256, uint256) {
        for (uint256 i; i < n; ++i) {
            if (EntryArrayLib.unsafeTokenAt(e, i) == token) return (n, i); // i < n <= e.length
        }
        return (_entry(e, n, _CLEARINGHOUSE.assetWordOf(token), 0, 0), n);
    }
}
