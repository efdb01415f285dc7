export * from './audit.types.js';
export {
  type AuditFilters,
  type AuditLog,
  type AuditLogOptions,
  type AuditPage,
  createAuditLog,
} from './audit-log.js';
export {
  type AuditLogRepository,
  createAuditLogRepository,
  decodeAuditCursor,
  encodeAuditCursor,
  type StoredAuditEntry,
} from './audit-log.repository.js';
