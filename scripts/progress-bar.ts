// A progress bar for the staff command-line tools, on stderr so stdout keeps only the result.
// On a terminal it redraws one line; in a log (no terminal) it writes a line every tenth.

export interface Progress {
  tick(counts: Record<string, number>): void;
  done(): void;
}

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr, width = 30): Progress {
  let done = 0;
  let lastTenth = -1;
  const render = (counts: Record<string, number>) => {
    const share = total === 0 ? 1 : done / total;
    const filled = Math.round(share * width);
    const tally = Object.entries(counts)
      .map(([what, n]) => `${n} ${what}`)
      .join(' · ');
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${done}/${total} · ${tally}`;
  };
  return {
    tick(counts) {
      done++;
      if (stream.isTTY) {
        stream.write(`\r${render(counts)}`);
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`${render(counts)}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
