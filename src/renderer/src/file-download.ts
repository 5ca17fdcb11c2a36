/** Hands a CSV the core made to the browser as a download (the web preview; Electron saves it in main). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  // The click has handed the file over; keeping the URL would only hold the text in memory.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
