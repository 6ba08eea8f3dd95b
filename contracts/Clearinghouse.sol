// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ClearinghouseVault} from "./ClearinghouseVault.sol";
import {ClearinghousePerps} from "./ClearinghousePerps.sol";

/// @title Clearinghouse: the one core of the venue
/// @notice Every account, every market and every pool in one contract under one reentrancy lock,
/// as Uniswap v4's PoolManager holds every pool. Its parts, each over the same storage:
/// `ClearinghouseLending` (the pools, `LendingLib`), `ClearinghouseVault` (balances, accounts,
/// operators, the registry, ATLAS's valuation through `RiskLib`, the liquidation of debt),
/// `ClearinghouseMarkets` (every order book by market id, `BookLib` with `SpotLib`) and
/// `ClearinghousePerps` (perp settlement, funding and liquidation, `PerpLib`). No call leaves the
/// core on a trading, margin or liquidation path but token transfers and oracle reads.
/// Governance is the AccessManager `authority` (listing, fees, risk parameters, pauses).
contract Clearinghouse is ClearinghousePerps {
    constructor(address authority, address treasury_) ClearinghouseVault(authority, treasury_) {}
}
