// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MemoryLib} from "../libraries/MemoryLib.sol";

/// @notice Test only: MemoryLib's in-place returns, with the arrays where they belong or displaced
/// (test/unit/memory.lib.test.ts compares each answer with what `return` would have encoded).
contract MemoryLibMock {
    function uintArray(uint256[] calldata xs, bool displace) external pure returns (uint256[] memory words) {
        uint256 head = MemoryLib.reserve(1);
        if (displace) new uint256[](2); // `words` lands elsewhere: returnUintArray moves it
        words = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) MemoryLib.unsafeSet(words, i, xs[i]);
        MemoryLib.returnUintArray(head, words);
    }

    function wordsAndArrays(
        uint256 a,
        uint256 b,
        uint256[] calldata xs,
        address[] calldata ms,
        bool displace,
        bool emptyMarketsAt60
    ) external pure returns (uint256, uint256, uint256[] memory words, address[] memory markets) {
        uint256 head = MemoryLib.reserve(4);
        if (displace) new uint256[](3);
        words = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) MemoryLib.unsafeSet(words, i, xs[i]);
        if (displace) new uint256[](1);
        if (!(emptyMarketsAt60 && ms.length == 0)) {
            markets = new address[](ms.length);
            for (uint256 i; i < ms.length; ++i) markets[i] = ms[i];
        }
        MemoryLib.returnWordsAndArrays(head, a, b, words, markets);
    }

    /// @notice The same answer through the ABI encoder, for the test to compare bytes.
    function wordsAndArraysPlain(uint256 a, uint256 b, uint256[] calldata xs, address[] calldata ms)
        external
        pure
        returns (uint256, uint256, uint256[] memory, address[] memory)
    {
        return (a, b, xs, ms);
    }
}
