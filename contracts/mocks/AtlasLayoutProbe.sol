// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AtlasMath} from "../libraries/AtlasMath.sol";
import {EntryArrayLib} from "../libraries/EntryArrayLib.sol";
import {MemoryLib} from "../libraries/MemoryLib.sol";

/// @title Test-only probe of the memory layout EntryArrayLib relies on, and of its functions
/// @notice `EntryArrayLib.setZeroed` allocates entries of `AtlasMath.ENTRY_BYTES` and `unsafeTokenAt`
/// reads an entry's token as the word at its address; this contract lets a test compare both with
/// what the compiler does, and each EntryArrayLib function with its Solidity equivalent.
contract AtlasLayoutProbe {
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
}
