import { describe, expect, it } from "vitest";
import { heatColor, matrixGrid } from "./heatmap";

describe("segmentation heatmap", () => {
  it("lays out 3 maturities by 4 lifecycles, filling absent cells with 0", () => {
    const grid = matrixGrid([
      { maturity: "MATURE", lifecycle: "DORMANT", users: 7 },
      { maturity: "NOVICE", lifecycle: "ACTIVE", users: 3 },
    ]);
    expect(grid).toHaveLength(3);
    expect(grid.every((row) => row.length === 4)).toBe(true);
    expect(grid[0][0]).toEqual({ maturity: "NOVICE", lifecycle: "ACTIVE", users: 3 });
    expect(grid[2][3]).toEqual({ maturity: "MATURE", lifecycle: "DORMANT", users: 7 });
    expect(grid.flat().reduce((sum, cell) => sum + cell.users, 0)).toBe(10);
  });

  it("shades from the lightest at 0 to the darkest at the largest cell", () => {
    expect(heatColor(0, 10)).toBe("rgb(241, 245, 251)");
    expect(heatColor(10, 10)).toBe("rgb(126, 166, 220)");
    expect(heatColor(5, 10)).toBe("rgb(184, 206, 236)");
    expect(heatColor(3, 0)).toBe("rgb(241, 245, 251)");
  });

  it("keeps dark text readable on the darkest shade (WCAG contrast at least 4.5)", () => {
    const luminance = (rgb: number[]) =>
      rgb
        .map((value) => value / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
        .reduce((sum, c, index) => sum + c * [0.2126, 0.7152, 0.0722][index], 0);
    const darkest = luminance([0x7e, 0xa6, 0xdc]);
    const text = luminance([0x1b, 0x1f, 0x24]);
    expect((darkest + 0.05) / (text + 0.05)).toBeGreaterThan(4.5);
  });
});
