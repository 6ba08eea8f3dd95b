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

    /// @dev Staticcalls `target` (one of the protocol's own contracts) with `data`, bubbles its
    /// revert, else copies its whole answer to freshly allocated memory and returns where it starts,
    /// for the caller to read in place (`MemoryLib.wordAt`).
    /// Equivalent to:
    ///   (bool success, bytes memory ret) = target.staticcall(data);
    ///   if (!success) LowLevelCall.bubbleRevert(ret);
    ///   r = <memory address of ret[0]>;
    /// without the length word and without the decoder's copy.
    function staticcallInPlace(address target, bytes memory data) internal view returns (uint256 r) {
        assembly ("memory-safe") {
            if iszero(staticcall(gas(), target, add(data, 0x20), mload(data), 0, 0)) {
                let p := mload(0x40)
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
            r := mload(0x40)
            let size := returndatasize()
            returndatacopy(r, 0, size)
            mstore(0x40, add(r, and(add(size, 31), not(31))))
        }
    }

    /// @dev `staticcallInPlace(target, abi.encodeWithSelector(sel, a, b))`, with the calldata written
    /// at the free memory pointer (not allocated) and the answer copied over it.
    /// Equivalent to: `r = staticcallInPlace(target, abi.encodeWithSelector(sel, a, b));`
    function staticcallInPlace(address target, bytes4 sel, uint256 a, uint256 b) internal view returns (uint256 r) {
        assembly ("memory-safe") {
            r := mload(0x40)
            mstore(r, sel)
            mstore(add(r, 4), a)
            mstore(add(r, 0x24), b)
            if iszero(staticcall(gas(), target, r, 0x44, 0, 0)) {
                returndatacopy(r, 0, returndatasize())
                revert(r, returndatasize())
            }
            let size := returndatasize()
            returndatacopy(r, 0, size)
            mstore(0x40, add(r, and(add(size, 31), not(31))))
        }
    }
}
