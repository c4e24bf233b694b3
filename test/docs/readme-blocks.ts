/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The fence's info string: language, then anything else (`sh no-test: why`). */
  info: string;
  language: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Every fenced block of `markdown`, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^```(.*)$/.exec(lines[index]!);
    if (!open) continue;
    const start = index;
    const body: string[] = [];
    for (index += 1; index < lines.length && !/^```\s*$/.test(lines[index]!); index += 1) body.push(lines[index]!);
    const info = open[1]!.trim();
    blocks.push({ info, language: info.split(/\s+/)[0] ?? '', code: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);

/** The shell blocks a reader pastes: `sh`, `bash` or `shell`, without the `no-test` marker. */
export function pastedShellBlocks(markdown: string): CodeBlock[] {
  return codeBlocks(markdown).filter((block) => SHELL_LANGUAGES.has(block.language) && !/\bno-test\b/.test(block.info));
}

/** `no-test` blocks must say why (the rest of the info string), so the marker is not used to hide a broken example. */
export function unexplainedOptOuts(markdown: string): CodeBlock[] {
  return codeBlocks(markdown).filter((block) => /\bno-test\b/.test(block.info) && !/no-test\W+\w+/.test(block.info));
}
