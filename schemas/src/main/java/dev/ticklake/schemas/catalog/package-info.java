/**
 * The table catalog: {@link dev.ticklake.schemas.catalog.TableCatalog} lists every lake table as a
 * validated {@link dev.ticklake.schemas.catalog.TableDef}, whose Avro schema is the {@code
 * tables/<layer>/<name>.avsc} resource beside these classes.
 */
package dev.ticklake.schemas.catalog;
