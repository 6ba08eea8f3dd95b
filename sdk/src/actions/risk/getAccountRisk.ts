import { zeroAddress, type Address, type Client } from "viem";
import { withDecodedErrors } from "../../errors/decode.ts";
import { snapshotFor, verifyAtlas, type AtlasCheck, type AtlasViewParameters } from "../../internal/atlas.ts";
import { adjusted, gather, liquidationPrice, marginRequirements, riskOf, values, type AtlasSnapshot, type Book, type CoreBook, type CoreEntry } from "../../math/atlas.ts";

export type GetAccountRiskParameters = AtlasViewParameters;

/** One asset of the account as Atlas values it. */
export interface AccountAssetRisk {
  token: Address;
  /** Idle, lent (pool value), in market pockets, and owed (pool debt with interest), in atoms. */
  idleAtoms: bigint;
  lentAtoms: bigint;
  pocketAtoms: bigint;
  debtAtoms: bigint;
  /** Idle + pockets + lent × haircut − debt × (1 + 10 days of interest) + perp cash legs: what Atlas shocks (spot exposure x). */
  adjustedAtoms: bigint;
  /** Net perp position on this asset as underlying, atoms, over all its perp markets (perp exposure y). */
  perpAtoms: bigint;
  /** Open perp bid and ask exposure on this underlying, atoms. */
  perpBidAtoms: bigint;
  perpAskAtoms: bigint;
  /** The perp cash legs (quote atoms) counted in `adjustedAtoms` when this is the perps' quote asset. */
  perpCashAtoms: bigint;
  priceWad: bigint;
  stableWad: bigint;
  /** This asset's part of the maintenance and initial values (USD WAD), resting orders included. */
  maintenanceWad: bigint;
  initialWad: bigint;
  /**
   * The price (WAD) at which the account becomes liquidatable, all other prices held; 0 if none. For
   * an underlying this moves spot and perp exposure together.
   */
  liquidationPriceWad: bigint;
}

export interface GetAccountRiskReturnType {
  /** USD WAD. Equity: every balance at the oracle price. */
  equityWad: bigint;
  /** Below zero the account may be liquidated. */
  maintenanceWad: bigint;
  /** Every risk-adding action must leave this ≥ 0. */
  initialWad: bigint;
  /** What the account can still lose to new risk: the initial value. */
  freeCollateralWad: bigint;
  /** Initial-margin requirement as ATLAS margins the portfolio (spot and perps netted), USD WAD. */
  portfolioRequirementWad: bigint;
  /** The same positions under plain cross margin (each spot and perp leg alone), USD WAD: the difference is the saving. */
  crossRequirementWad: bigint;
  liquidatable: boolean;
  assets: AccountAssetRisk[];
  /** The snapshot every figure comes from (reuse it for `maxWithdraw`, `maxBorrow`, `findLiquidationAmount`). */
  snapshot: AtlasSnapshot;
}

/**
 * An account's margin from one snapshot, computed with the SDK's copy of the Atlas math:
 * equity, maintenance and initial value, free collateral, the portfolio and plain cross-margin
 * requirements (`AtlasLens.marginRequirements`), and per asset its balances, spot exposure x, perp
 * exposure y, value and liquidation price. `verify: true` also asks the core at the snapshot's block
 * (`riskOf`, and `riskEntries`: every entry and book ATLAS valued, field by field) and, with `lens`,
 * the AtlasLens (assetRisks, marginRequirements and each liquidationPrice), and throws
 * AtlasMismatchError on any difference.
 *
 * @example
 * const risk = await getAccountRisk(client, { clearinghouse, owner: alice })
 * if (risk.maintenanceWad < 0n) console.log("liquidatable")
 * for (const a of risk.assets) console.log(a.token, a.liquidationPriceWad)
 */
export async function getAccountRisk(client: Client, parameters: GetAccountRiskParameters): Promise<GetAccountRiskReturnType> {
  return withDecodedErrors(async () => {
    const s = await snapshotFor(client, parameters, [], "getAccountRisk");
    const risk = riskOf(s);
    const req = marginRequirements(s);
    const [e, b] = gather(s);
    const m = values(e, b, 10_000n, false);
    const i = values(e, b, s.initialScaleBps, true);
    const assets = e.map(
      (x, k): AccountAssetRisk => ({
        token: x.token,
        idleAtoms: x.idleAtoms,
        lentAtoms: x.lentAtoms,
        pocketAtoms: x.pocketAtoms,
        debtAtoms: x.debtAtoms,
        adjustedAtoms: adjusted(x),
        perpAtoms: x.perpAtoms,
        perpBidAtoms: x.perpBidAtoms,
        perpAskAtoms: x.perpAskAtoms,
        perpCashAtoms: x.perpCashAtoms,
        priceWad: x.priceWad,
        stableWad: x.stableWad,
        maintenanceWad: m[k],
        initialWad: i[k],
        liquidationPriceWad: liquidationPrice(s, x.token),
      }),
    );
    if (parameters.verify) {
      const checks: AtlasCheck[] = [
        {
          field: "riskOf",
          functionName: "riskOf",
          args: [s.account],
          pick: (r) => {
            const x = r as { equityWad: bigint; maintenanceWad: bigint; initialWad: bigint };
            return [x.equityWad, x.maintenanceWad, x.initialWad];
          },
          sdk: [risk.equityWad, risk.maintenanceWad, risk.initialWad],
        },
        {
          field: "riskEntries",
          functionName: "riskEntries",
          args: [s.account, zeroAddress],
          pick: (r) => {
            const [entries, books] = r as readonly [readonly CoreEntry[], readonly CoreBook[]];
            return [...entries.flatMap(entryWords), ...books.flatMap(bookWords)];
          },
          sdk: [...e.flatMap((x) => entryWords({ ...x, unit: 10n ** x.decimals })), ...b.flatMap(bookWords)],
        },
      ];
      // the lens's what-if views, when the client knows the lens (the core does not name it)
      if (parameters.lens) checks.push(
        {
          field: "assetRisks",
          contract: "lens",
          functionName: "assetRisks",
          args: [s.account],
          pick: (r) =>
            (
              r as readonly { token: Address; adjustedAtoms: bigint; priceWad: bigint; maintenanceWad: bigint; initialWad: bigint; perpAtoms: bigint }[]
            ).flatMap((a) => [BigInt(a.token), a.adjustedAtoms, a.priceWad, a.maintenanceWad, a.initialWad, a.perpAtoms]),
          sdk: assets.flatMap((a) => [BigInt(a.token), a.adjustedAtoms, a.priceWad, a.maintenanceWad, a.initialWad, a.perpAtoms]),
        },
        {
          field: "marginRequirements",
          contract: "lens",
          functionName: "marginRequirements",
          args: [s.account],
          pick: (r) => r as readonly [bigint, bigint],
          sdk: [req.portfolioWad, req.crossWad],
        },
        ...assets.map(
          (a): AtlasCheck => ({
            field: `liquidationPrice(${a.token})`,
            contract: "lens",
            functionName: "liquidationPrice",
            args: [s.account, a.token],
            pick: (r) => [r as bigint],
            sdk: [a.liquidationPriceWad],
          }),
        ),
      );
      await verifyAtlas(client, s, checks, parameters);
    }
    return {
      ...risk,
      freeCollateralWad: risk.initialWad,
      portfolioRequirementWad: req.portfolioWad,
      crossRequirementWad: req.crossWad,
      liquidatable: risk.maintenanceWad < 0n,
      assets,
      snapshot: s,
    };
  });
}


/** The fields of an entry ATLAS reads, as words, in `AtlasMath.Entry`'s order. */
function entryWords(x: CoreEntry): bigint[] {
  return [
    BigInt(x.token),
    x.unit,
    x.shockBps,
    x.slippageBps,
    x.haircutBps,
    x.idleAtoms,
    x.lentAtoms,
    x.debtAtoms,
    x.pocketAtoms,
    x.borrowRateWad,
    x.debtInterestSeconds,
    x.priceWad,
    x.stableWad,
    x.hasPerp ? 1n : 0n,
    x.perpAtoms,
    x.perpBidAtoms,
    x.perpAskAtoms,
    x.perpCashAtoms,
    x.perpLiquidityBps,
    x.perpImpactUsd,
    x.basisBps,
    x.floorBps,
  ];
}

function bookWords(k: CoreBook | Book): bigint[] {
  return [BigInt(k.baseIndex), BigInt(k.quoteIndex), k.lockedBaseAtoms, k.lockedQuoteAtoms];
}
