// A curve read back from its scenario's versions (app/curves/curve-points.ts): each version's note is
// its point, the first assignment the axis, the rest the series; the newest sweep of a version counts.
import { describe, expect, it } from "vitest";
import { curvePointsOf, parsePointLabel } from "@/app/curves/curve-points";

describe("curve points", () => {
  it("reads a point's label back with the values' types", () => {
    expect(parsePointLabel("network.loss=0.3, protocol.client.retries=2")).toEqual([
      { path: "network.loss", value: 0.3 },
      { path: "protocol.client.retries", value: 2 },
    ]);
    expect(parsePointLabel("protocol.server.dedupe=true")).toEqual([{ path: "protocol.server.dedupe", value: true }]);
    expect(parsePointLabel("network.latency=50ms")).toEqual([{ path: "network.latency", value: "50ms" }]);
    expect(parsePointLabel("")).toBeNull();
    expect(parsePointLabel("forked")).toBeNull();
    expect(parsePointLabel("shrunk from run abc")).toBeNull();
  });

  it("takes each point's newest sweep, in version order, and skips versions that are not points", () => {
    const versions = [
      { number: 4, note: "a note" },
      { number: 3, note: "network.loss=0.5, protocol.client.retries=0" },
      { number: 2, note: "network.loss=0, protocol.client.retries=0" },
      { number: 1, note: "network.loss=0.5, protocol.client.retries=2" },
    ];
    // Newest first, as run.list gives them; version 2's sweep was run twice.
    const sweeps = [{ id: "r2b", version: { number: 2 } }, { id: "r3", version: { number: 3 } }, { id: "r2a", version: { number: 2 } }, { id: "r1", version: { number: 1 } }];
    expect(curvePointsOf(versions, sweeps)).toEqual({
      axis: "network.loss",
      points: [
        { label: "network.loss=0.5, protocol.client.retries=2", value: 0.5, series: "protocol.client.retries=2", version: 1, runId: "r1" },
        { label: "network.loss=0, protocol.client.retries=0", value: 0, series: "protocol.client.retries=0", version: 2, runId: "r2b" },
        { label: "network.loss=0.5, protocol.client.retries=0", value: 0.5, series: "protocol.client.retries=0", version: 3, runId: "r3" },
      ],
    });
    // A point whose sweep is not there yet is left out; a scenario with no points has no curve.
    expect(curvePointsOf(versions, [{ id: "r3", version: { number: 3 } }])!.points.map((p) => p.runId)).toEqual(["r3"]);
    expect(curvePointsOf([{ number: 1, note: "" }], [{ id: "r", version: { number: 1 } }])).toBeNull();
  });
});
