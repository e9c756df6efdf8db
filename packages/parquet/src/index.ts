/**
 * @embedkit/parquet: the one Parquet stack of embedkit. Streaming reads by row group and
 * incremental writes over hyparquet and hyparquet-writer (pure JavaScript, no native code), for
 * Spark model directories (`@embedkit/vectors`), Parquet corpora (`@embedkit/tokenizer`) and
 * Parquet event logs.
 */

// Reading
export { PARQUET_MAGIC, ParquetFile, isParquetFile } from './read';
export type { ParquetColumn } from './read';

// Writing
export { ParquetFileWriter } from './write';
export type { ParquetColumnData, ParquetFileWriterOptions, RowGroupOptions } from './write';
export type { SchemaElement } from 'hyparquet';

// Errors
export type { ParquetErrorCode } from './errors';
