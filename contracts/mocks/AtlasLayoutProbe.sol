// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AtlasMath} from "../libraries/AtlasMath.sol";

/// @title Test-only probe of the memory layout AtlasReader's assembly relies on
/// @notice `AtlasReader._entry` allocates entries of `AtlasMath.ENTRY_BYTES` and reads an entry's
/// token as the word at its address; this contract lets a test compare both with what the compiler does.
contract AtlasLayoutProbe {
    /// @notice Bytes the compiler allocates for one `AtlasMath.Entry`, and the size AtlasReader assumes.
    function entryBytes() external pure returns (uint256 allocated, uint256 assumed) {
        uint256 start;
        uint256 end;
        assembly ("memory-safe") {
            start := mload(0x40)
        }
        AtlasMath.Entry memory x;
        assembly ("memory-safe") {
            end := mload(0x40)
        }
        x.token = address(0); // used, so the allocation stays
        return (end - start, AtlasMath.ENTRY_BYTES);
    }

    /// @notice The word at an entry's address, after setting its `token` (equal to the token if it is the first field).
    function firstWord(address token) external pure returns (uint256 w) {
        AtlasMath.Entry memory x;
        x.token = token;
        x.unit = type(uint256).max; // a neighbour that would show through if the layout moved
        assembly ("memory-safe") {
            w := mload(x)
        }
    }
}
