// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MemoryLib} from "../libraries/MemoryLib.sol";

/// @notice Test only: MemoryLib's memory readers against plain Solidity (test/unit/memory.lib.test.ts).
contract MemoryLibMock {
    /// @notice Each word of an array read with `wordAt` from the array's body (where `freePointer`
    /// said `new` would put the array, one length word before the body), and `freePointer`'s advance
    /// over that allocation (bytes).
    function readBack(uint256[] calldata xs) external pure returns (uint256[] memory words, uint256 advance) {
        uint256 start = MemoryLib.freePointer();
        uint256[] memory a = xs; // copied to memory at `start`: length word, then the body
        advance = MemoryLib.freePointer() - start;
        words = new uint256[](a.length);
        for (uint256 i; i < a.length; ++i) words[i] = MemoryLib.wordAt(start + 32, i);
    }
}
