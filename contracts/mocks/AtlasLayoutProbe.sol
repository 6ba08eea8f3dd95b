// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AtlasMath} from "../libraries/AtlasMath.sol";
import {EntryArrayLib} from "../libraries/EntryArrayLib.sol";
import {MemoryLib} from "../libraries/MemoryLib.sol";
import {PriceWord, PriceWordLib} from "../types/PriceWord.sol";
import {IPriceOracle} from "../interfaces/IPriceOracle.sol";

/// @title Test-only probe of the memory layout EntryArrayLib relies on, and of its functions
/// @notice `EntryArrayLib.setZeroed` allocates entries of `AtlasMath.ENTRY_BYTES` and `unsafeTokenAt`
/// reads an entry's token as the word at its address; this contract lets a test compare both with
/// what the compiler does, and each EntryArrayLib function with its Solidity equivalent. It is its
/// own stand-in oracle for `EntryArrayLib.tryPrices` (`tryPrices` below).
contract AtlasLayoutProbe {
    /// @notice `tryPrices` reverts with this on the zero address (to check the revert is bubbled as is).
    error Refused(uint256 index);

    /// @notice A stand-in oracle for `EntryArrayLib.tryPrices`: one word per token (its address
    /// times three, the ok bit set for odd addresses); reverts `Refused` on the zero address.
    function tryPrices(address[] calldata assets) external pure returns (uint256[] memory words) {
        words = new uint256[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            uint256 t = uint160(assets[i]);
            require(t != 0, Refused(i));
            words[i] = 3 * t | (t % 2 == 1 ? PriceWordLib.OK_BIT : 0);
        }
    }

    /// @notice Bytes the compiler allocates for one `AtlasMath.Entry`, and the size EntryArrayLib assumes.
    function entryBytes() external pure returns (uint256 allocated, uint256 assumed) {
        uint256 start = MemoryLib.freePointer();
        AtlasMath.Entry memory x;
        uint256 end = MemoryLib.freePointer();
        x.token = address(0); // used, so the allocation stays
        return (end - start, AtlasMath.ENTRY_BYTES);
    }

    /// @notice The token `unsafeTokenAt` reads from an entry after setting its `token` (equal to the
    /// token if it is the first field: else a neighbour shows through).
    function firstWord(address token) external pure returns (uint256 w) {
        AtlasMath.Entry[] memory e = new AtlasMath.Entry[](1);
        AtlasMath.Entry memory x = e[0];
        x.token = token;
        x.unit = type(uint256).max; // a neighbour that would show through if the layout moved
        return uint256(uint160(EntryArrayLib.unsafeTokenAt(e, 0)));
    }

    /// @notice Entries built with `alloc` + `setZeroed` on dirty memory read as fresh zero entries
    /// (`zeroed`); `truncate` cuts the length; `unsafeTokenAt` reads what `e[i].token` reads.
    function buildEntries(address[] calldata tokens, uint256 cap)
        external
        pure
        returns (uint256 count, address[] memory unsafeRead, address[] memory checkedRead, bool zeroed)
    {
        // dirty the free memory the entries will take (unchecked writes past an empty array)
        uint256[] memory edge = new uint256[](0);
        for (uint256 i; i < (cap + 1) * (AtlasMath.ENTRY_BYTES / 32 + 1); ++i) {
            MemoryLib.unsafeSet(edge, i, type(uint256).max);
        }
        AtlasMath.Entry[] memory e = EntryArrayLib.alloc(cap);
        zeroed = true;
        for (uint256 i; i < tokens.length; ++i) {
            EntryArrayLib.setZeroed(e, i);
            AtlasMath.Entry memory fresh;
            zeroed = zeroed && keccak256(abi.encode(e[i])) == keccak256(abi.encode(fresh));
            e[i].token = tokens[i];
        }
        EntryArrayLib.truncate(e, tokens.length);
        count = e.length;
        unsafeRead = new address[](count);
        checkedRead = new address[](count);
        for (uint256 i; i < count; ++i) {
            unsafeRead[i] = EntryArrayLib.unsafeTokenAt(e, i);
            checkedRead[i] = e[i].token;
        }
    }

    /// @notice `truncate` of a `Book[]`: the length after, and the books kept.
    function truncateBooks(uint256 len, uint256 n) external pure returns (AtlasMath.Book[] memory b) {
        b = new AtlasMath.Book[](len);
        for (uint256 i; i < len; ++i) b[i] = AtlasMath.Book(i, i + 1, 10 * i, 20 * i);
        EntryArrayLib.truncate(b, n);
    }

    /// @notice `applyPrices` over `words` (one price word per entry) from `from` (≥ n: none): returns where it
    /// stopped and each entry's (priceWad, stableWad), with the entries pre-set to `seed`.
    function applyPrices(uint256[] calldata words, uint256 from, uint256 seed)
        external
        pure
        returns (uint256 stop, uint256[] memory prices, uint256[] memory stables)
    {
        uint256 n = words.length;
        AtlasMath.Entry[] memory e = new AtlasMath.Entry[](n);
        for (uint256 i; i < n; ++i) (e[i].priceWad, e[i].stableWad) = (seed, seed);
        uint256 start = MemoryLib.freePointer(); // `new` allocates the array here: its body starts a word on
        uint256[] memory px = new uint256[](n);
        for (uint256 i; i < n; ++i) px[i] = words[i];
        stop = EntryArrayLib.applyPrices(e, start + 32, from, n);
        prices = new uint256[](n);
        stables = new uint256[](n);
        for (uint256 i; i < n; ++i) (prices[i], stables[i]) = (e[i].priceWad, e[i].stableWad);
    }

    /// @notice The same in plain Solidity: `PriceWord`'s getters on each word.
    function applyPricesPlain(uint256[] calldata words, uint256 from, uint256 seed)
        external
        pure
        returns (uint256 stop, uint256[] memory prices, uint256[] memory stables)
    {
        uint256 n = words.length;
        prices = new uint256[](n);
        stables = new uint256[](n);
        for (uint256 i; i < n; ++i) (prices[i], stables[i]) = (seed, seed);
        if (from >= n) return (n, prices, stables);
        stop = n;
        for (uint256 i = from; i < n; ++i) {
            PriceWord w = PriceWord.wrap(words[i]);
            if (!w.ok()) {
                stop = i;
                break;
            }
            (prices[i], stables[i]) = (w.priceWad(), w.stableWad());
        }
    }

    /// @notice `EntryArrayLib.tryPrices` over entries of `tokens` (the first `n`), read back word by
    /// word, beside what the oracle's `tryPrices` of the same tokens decodes to.
    function pricesOf(address oracle, address[] calldata tokens, uint256 n)
        external
        view
        returns (uint256[] memory inPlace, uint256[] memory decoded)
    {
        AtlasMath.Entry[] memory e = new AtlasMath.Entry[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) e[i].token = tokens[i];
        uint256 px = EntryArrayLib.tryPrices(oracle, IPriceOracle.tryPrices.selector, e, n);
        inPlace = new uint256[](n);
        for (uint256 i; i < n; ++i) inPlace[i] = MemoryLib.wordAt(px, i);
        address[] memory first = new address[](n);
        for (uint256 i; i < n; ++i) first[i] = tokens[i];
        decoded = IPriceOracle(oracle).tryPrices(first);
    }
}
