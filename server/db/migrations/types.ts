/** One forward-only schema step, valid SQL for PostgreSQL and PGlite alike. Never edit one that has shipped: add a new one. */
export interface Migration {
  /** Sortable and unique: 'YYYYMMDD_NNNN_name'. */
  id: string;
  sql: string;
}
