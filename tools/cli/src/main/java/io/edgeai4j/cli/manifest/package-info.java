/** {@code edge manifest generate|validate}: deployment templates to per-platform manifests, and their validation. */
package io.edgeai4j.cli.manifest;
