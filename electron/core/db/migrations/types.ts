/** One forward-only schema step. Never edit a migration once it has shipped: add a new one. */
export interface Migration {
  /** Sortable and unique: 'YYYYMMDD_NNNN_name'. */
  id: string;
  sql: string;
}
