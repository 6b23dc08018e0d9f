/**
 * Where the device-spec parsers send their diagnostics. libxlu prints to the
 * XLU_Config's `report` FILE and xl_parse.c to stderr; here both go to a
 * sink the caller owns (xl passes one that writes to stderr). The sink gets
 * the exact bytes C would print, newline included — several xl messages
 * famously have none ("Unknown RDM policy: %s", "failed to parse channel
 * configuration: %s"), and the next message then continues the same line.
 */
export type ReportSink = (text: string) => void;

/** A sink that keeps everything, for tests and for callers that decide later. */
export function collectingSink(): ReportSink & { text(): string } {
  let buf = '';
  const sink = ((t: string) => {
    buf += t;
  }) as ReportSink & { text(): string };
  sink.text = () => buf;
  return sink;
}
