/**
 * A one-line text progress bar for downloads: bar, percentage and megabytes.
 *
 * @example
 * progressBar(5e6, 1e7, 'archive'); // "archive [##########          ]  50%  5.0/10.0 MB"
 */
export function progressBar(done: number, total: number | undefined, label: string, width = 20): string {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  if (total === undefined || total <= 0) return `${label} ${mb(done)} MB`;
  const fraction = Math.min(1, done / total);
  const filled = Math.round(fraction * width);
  const percent = `${Math.round(fraction * 100)}%`.padStart(4);
  return `${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${percent}  ${mb(done)}/${mb(total)} MB`;
}
