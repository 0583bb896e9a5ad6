// The "down" band's label never overlaps the "crash" label at its start or "restart" at its end.
import { describe, expect, it } from "vitest";
import { downLabelX } from "@/app/_components/diagram/down-label";

// Label boxes as draw.ts places them: centred 4 px right of the event, 3 px padding each side.
const box = (x: number, w: number) => ({ x0: x + 4 - w / 2 - 3, x1: x + 4 + w / 2 + 3 });
const W = { crash: 28, down: 27, restart: 38 };

describe("the down label", () => {
  it.each([80, 120, 400])("sits between the crash and restart labels on a %i px band", (width) => {
    const xa = 100;
    const xb = xa + width;
    const x = downLabelX(xa, xb, W);
    expect(x).not.toBeNull();
    const crash = box(xa, W.crash);
    const restart = box(xb, W.restart);
    expect(x!).toBeGreaterThan(crash.x1);
    expect(x! + W.down).toBeLessThan(restart.x0);
  });

  it("is left out when the band is too narrow to hold it apart from both", () => {
    expect(downLabelX(100, 160, W)).toBeNull();
    expect(downLabelX(100, 101, W)).toBeNull();
  });
});
