// The built package the tests load, through its entry (see pkg_dir.mjs).
import path from "node:path";
import { pkgDir } from "./pkg_dir.mjs";

export { pkgDir, repo } from "./pkg_dir.mjs";
export const ims = await import(path.join(pkgDir, "node.mjs"));
export const isStorefrontBuild = pkgDir.endsWith("storefront");
