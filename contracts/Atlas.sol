// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAtlas} from "./interfaces/IAtlas.sol";
import {IAtlasLens} from "./interfaces/IAtlasLens.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {IClearinghouse} from "./interfaces/IClearinghouse.sol";
import {AccountId} from "./types/AccountId.sol";
import {RiskLib} from "./libraries/RiskLib.sol";
import {AtlasMath} from "./libraries/AtlasMath.sol";
import {AtlasReader} from "./AtlasReader.sol";
import {AtlasLens} from "./periphery/AtlasLens.sol";

/// @title Atlas: the portfolio-margin risk engine (spot, lending and perps)
/// @notice Holds no balances. Reads an account's positions from the Clearinghouse, its pockets
/// from the markets, prices from the OracleRouter, and values it as `IAtlas` and docs/RISK.md say.
/// The what-if views (limits, liquidation price, breakdowns) are on its lens, `LENS()`.
contract Atlas is IAtlas, AtlasReader {
    /// @inheritdoc IAtlas
    IAtlasLens public immutable LENS;

    constructor(IClearinghouse clearinghouse, IPriceOracle oracle, uint256 initialScaleBps_, uint256 debtInterestSeconds_)
        AtlasReader(clearinghouse, oracle, initialScaleBps_, debtInterestSeconds_)
    {
        require(initialScaleBps_ >= BPS && initialScaleBps_ <= 20_000 && debtInterestSeconds_ <= 365 days, InvalidRiskParams());
        LENS = new AtlasLens(clearinghouse, oracle, initialScaleBps_, debtInterestSeconds_);
    }

    /// @notice The Clearinghouse whose accounts Atlas values.
    // solhint-disable-next-line func-name-mixedcase
    function CLEARINGHOUSE() external view returns (IClearinghouse) {
        return _CLEARINGHOUSE;
    }

    /// @inheritdoc IAtlas
    // solhint-disable-next-line func-name-mixedcase
    function ORACLE() external view returns (IPriceOracle) {
        return _ORACLE;
    }

    /// @inheritdoc IAtlas
    function initialScaleBps() external view returns (uint256) {
        return _INITIAL_SCALE_BPS;
    }

    /// @inheritdoc IAtlas
    function debtInterestSeconds() external view returns (uint256) {
        return _DEBT_INTEREST_SECONDS;
    }

    /// @inheritdoc IAtlas
    function riskOf(AccountId account) external view returns (AccountRisk memory r) {
        (r.equityWad, r.maintenanceWad, r.initialWad,,) = _risk(account, address(0), 7);
    }

    /// @inheritdoc IAtlas
    function liquidationQuote(AccountId account, address debtToken, address collateralToken)
        external
        view
        returns (
            int256 maintenanceWad,
            int256 equityWad,
            uint256 debtAtoms,
            uint256 debtPriceWad,
            uint256 collateralPriceWad,
            bool ordersOpen
        )
    {
        // the collateral as the what-if token: its price is read even if the account holds none.
        // No initial value: the conservative scenarios are about a third of the pass.
        AtlasMath.Entry[] memory e;
        AtlasMath.Book[] memory b;
        (equityWad, maintenanceWad,, e, b) = _risk(account, collateralToken, 5);
        (debtAtoms, debtPriceWad, collateralPriceWad, ordersOpen) =
            RiskLib.quoteTerms(e, b, debtToken, collateralToken);
    }

    /// @inheritdoc IAtlas
    function initialValue(AccountId account) external view returns (int256 v) {
        (,, v,,) = _risk(account, address(0), 2);
    }

    /// @inheritdoc IAtlas
    function maintenanceValue(AccountId account) external view returns (int256 v) {
        (, v,,,) = _risk(account, address(0), 1);
    }
}
