// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title A staticcall that never reverts and copies a bounded answer
/// @notice For reading outside contracts (price feeds) that may revert, have no code, answer short
/// or answer long: the caller learns `ok = false` instead of reverting, and never pays to copy
/// more than the words it asked for.
library StaticCallLib {
    /// @dev Most words `tryStaticCall` copies back.
    uint256 internal constant MAX_WORDS = 5;

    /// @dev Staticcalls `target` with `data`, forwarding all the gas the EVM allows (63/64), and
    /// copies the first `MAX_WORDS` words of its answer into `out` (zeros past a short answer).
    /// `ok` is true only when the call succeeded and answered at least `minWords` words.
    /// Equivalent to:
    ///   (bool success, bytes memory ret) = target.staticcall(data);
    ///   ok = success && ret.length >= 32 * minWords;
    ///   // out[i]: the i-th 32 bytes of `ret`, zero-padded on the right past its end
    ///   for (uint256 i; i < MAX_WORDS && 32 * i < ret.length; ++i) out[i] = uint256(word(ret, 32 * i));
    /// except that the rest of the answer is never copied to memory: a feed answering megabytes
    /// cannot make the caller pay for them (test/unit/oracle.words.test.ts compares the two).
    function tryStaticCall(address target, bytes memory data, uint256 minWords)
        internal
        view
        returns (bool ok, uint256[MAX_WORDS] memory out)
    {
        assembly ("memory-safe") {
            // `out` is a fresh zeroed 5-word array: the copy writes only inside it
            // Two statements: Yul evaluates arguments right to left, so returndatasize() must
            // follow the call.
            ok := staticcall(gas(), target, add(data, 0x20), mload(data), out, 0xa0)
            ok := and(ok, iszero(lt(returndatasize(), shl(5, minWords))))
        }
    }
}
