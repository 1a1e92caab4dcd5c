import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The real inputs of Linux's arm64 sysreg header: arch/arm64/tools/sysreg and gen-sysreg.awk from
 * Debian's linux-source-6.12 package. `apt-get download` fetches the package (about 150 MB); only
 * the two files are taken out of it, streaming, and kept in the user's cache folder under the
 * package version, so later runs of the same version do not download again.
 */
export const PACKAGE = "linux-source-6.12";
const TARBALL = `./usr/src/${PACKAGE}.tar.xz`;
const MEMBERS = ["arch/arm64/tools/sysreg", "arch/arm64/tools/gen-sysreg.awk"];

export interface LinuxSysregFiles {
  version: string;
  sysreg: string;
  awk: string;
}

const cacheRoot = () => join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "hwspec-test", PACKAGE);

function run(cmd: string, args: string[], cwd?: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  return { ok: r.status === 0, out: r.stdout ?? "", err: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}`.trim() };
}

/** The version apt would download, or why there is none. */
function candidateVersion(): { version: string } | { error: string } {
  const r = run("apt-cache", ["show", "--no-all-versions", PACKAGE]);
  const m = /^Version: (\S+)$/m.exec(r.out);
  if (m) return { version: m[1]! };
  return { error: r.ok ? `apt-cache knows no ${PACKAGE} (run apt-get update with bookworm-security in sources.list)` : `apt-cache show ${PACKAGE} failed: ${r.err || "no output"}` };
}

const cached = (dir: string) => MEMBERS.every((m) => existsSync(join(dir, m)) && statSync(join(dir, m)).size > 0);

/** The two files, from the cache or freshly extracted; `error` says why they cannot be had. */
export function linuxSysregFiles(): LinuxSysregFiles | { error: string } {
  const v = candidateVersion();
  let version: string;
  if ("error" in v) {
    // Without apt (or its lists) a version cached earlier is still the real file.
    const have = existsSync(cacheRoot()) ? readdirSync(cacheRoot()).filter((d) => cached(join(cacheRoot(), d))).sort() : [];
    if (!have.length) return { error: `cannot obtain ${PACKAGE}: ${v.error}` };
    version = have[have.length - 1]!;
  } else version = v.version;
  const dir = join(cacheRoot(), version);
  const files = { version, sysreg: join(dir, MEMBERS[0]!), awk: join(dir, MEMBERS[1]!) };
  if (cached(dir)) return files;

  const work = mkdtempSync(join(tmpdir(), "hwspec-linux-src-"));
  try {
    const dl = run("apt-get", ["download", `${PACKAGE}=${version}`], work);
    const deb = readdirSync(work).find((f) => f.endsWith(".deb"));
    if (!dl.ok || !deb) return { error: `apt-get download ${PACKAGE}=${version} failed: ${dl.err || "no .deb"}` };
    // dpkg-deb | tar (the kernel tarball out of the .deb) | xz -d | tar (the two members only, each
    // taken at its first occurrence so tar stops reading early). The early stop breaks the pipe
    // upstream, so success is judged by the files, not by exit codes.
    const out = join(work, "x");
    mkdirSync(out);
    const members = MEMBERS.map((m) => `'${PACKAGE}/${m}'`).join(" ");
    const sh = `dpkg-deb --fsys-tarfile '${deb}' | tar -xO '${TARBALL}' | xz -dc | tar -x --occurrence=1 -C x ${members}`;
    const x = run("sh", ["-c", sh], work);
    const got = join(out, PACKAGE);
    if (!cached(got)) return { error: `extracting ${MEMBERS.join(" and ")} from ${deb} failed: ${x.err || "files missing"}` };
    mkdirSync(join(cacheRoot()), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    // A rename, so a run killed half way never leaves a cache entry that looks complete.
    renameSync(got, dir);
    return files;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
