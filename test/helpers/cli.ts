import { main } from "../../generator/cli/main.ts";
import type { Io } from "../../generator/cli/output.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (no colours: not a TTY). */
export async function runCli(argv: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    out: (t) => void (stdout += t.endsWith("\n") ? t : t + "\n"),
    err: (t) => void (stderr += t.endsWith("\n") ? t : t + "\n"),
    color: false,
  };
  const code = await main(argv, () => io);
  return { code, stdout, stderr };
}
