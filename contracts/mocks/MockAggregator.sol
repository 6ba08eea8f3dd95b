// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/interfaces/AggregatorV3Interface.sol";

/// @notice Chainlink-style aggregator for tests and local chains: answer, update time and
/// decimals are settable by anyone; can be told to revert to simulate a broken feed.
contract MockAggregator is AggregatorV3Interface {
    error MockAggregatorDown();

    uint8 public decimals;
    int256 public answer;
    uint256 public updatedAt;
    uint80 public roundId;
    bool public reverting;

    constructor(uint8 decimals_, int256 answer_) {
        decimals = decimals_;
        _set(answer_, block.timestamp);
    }

    /// @notice Sets the answer as of the current block time (a new round).
    function setAnswer(int256 answer_) external {
        _set(answer_, block.timestamp);
    }

    /// @notice Sets the answer with an explicit update time (a new round).
    function setRoundData(int256 answer_, uint256 updatedAt_) external {
        _set(answer_, updatedAt_);
    }

    function setDecimals(uint8 decimals_) external {
        decimals = decimals_;
    }

    function setReverting(bool reverting_) external {
        reverting = reverting_;
    }

    function description() external pure returns (string memory) {
        return "MockAggregator";
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    function getRoundData(uint80 id) external view returns (uint80, int256, uint256, uint256, uint80) {
        require(!reverting, MockAggregatorDown());
        // Only the latest round is kept; any id answers with it.
        return (id, answer, updatedAt, updatedAt, id);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        require(!reverting, MockAggregatorDown());
        return (roundId, answer, updatedAt, updatedAt, roundId);
    }

    function _set(int256 answer_, uint256 updatedAt_) internal {
        answer = answer_;
        updatedAt = updatedAt_;
        roundId += 1;
    }
}
