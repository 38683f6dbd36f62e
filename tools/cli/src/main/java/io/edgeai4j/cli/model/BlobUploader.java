package io.edgeai4j.cli.model;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.common.sas.SasProtocol;
import io.edgeai4j.cli.ExitCodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Uploads a model package to Azure Blob Storage (azure-storage-blob) and makes a read-only SAS URL for it. The SDK's
 * HTTP client is shared by the process and closes with it; nothing to close here. Thread-safe.
 */
public final class BlobUploader {
  /** What an upload left: the blob's read-only SAS URL and when that expires. */
  public record Uploaded(URI sasUri, OffsetDateTime expiresOn) {}

  private static final RequestRetryOptions RETRIES = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 4,
      Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofSeconds(30), null);

  private final BlobServiceClient service;
  private final String option;

  /**
   * Parses the connection string (no request is made).
   *
   * @param option Where the string came from, for messages ({@code --storage-connection-string} or the variable).
   * @throws PublishException {@link ExitCodes#USAGE} when the SDK refuses the string or it has no account key
   *     (which the SAS needs).
   */
  public BlobUploader(String connectionString, String option) throws PublishException {
    this.option = option;
    if (!connectionString.toLowerCase(java.util.Locale.ROOT).contains("accountkey=")) {
      throw new PublishException(ExitCodes.USAGE, option + ": expected an account key (AccountKey=...), which"
          + " the read-only SAS URL is signed with; a connection string with a SAS token cannot sign one");
    }
    try {
      this.service = new BlobServiceClientBuilder().connectionString(connectionString).retryOptions(RETRIES)
          .buildClient();
    } catch (IllegalArgumentException e) {
      throw new PublishException(ExitCodes.USAGE, option + ": not a storage connection string: " + e.getMessage(),
          e);
    }
  }

  /** The blob's URL without a SAS. */
  public URI blobUrl(String container, String blobName) {
    return URI.create(service.getBlobContainerClient(container).getBlobClient(blobName).getBlobUrl());
  }

  /**
   * Uploads the package: creates the container when it is missing, then puts the blob (with its MD5, which the
   * service checks, and {@code If-None-Match: *} unless {@code overwrite}), then signs a read-only SAS URL.
   *
   * @throws PublishException {@link ExitCodes#CANT_CREATE} when the blob exists and not {@code overwrite};
   *     {@link ExitCodes#CONFIG} when the account refuses the key; {@link ExitCodes#UNAVAILABLE} otherwise.
   */
  public Uploaded upload(Path packageFile, String container, String blobName, boolean overwrite, Duration sasExpiry)
      throws PublishException {
    BlobContainerClient containerClient = service.getBlobContainerClient(container);
    BlobClient blob = containerClient.getBlobClient(blobName);
    try {
      containerClient.createIfNotExists();
      BlobParallelUploadOptions options = new BlobParallelUploadOptions(BinaryData.fromFile(packageFile))
          .setHeaders(new BlobHttpHeaders().setContentType("application/zip"))
          .setComputeMd5(true);
      if (!overwrite) {
        options.setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
      }
      blob.uploadWithResponse(options, null, Context.NONE);
    } catch (BlobStorageException e) {
      if (e.getErrorCode() == BlobErrorCode.BLOB_ALREADY_EXISTS
          || (e.getStatusCode() == 409 && !overwrite) || e.getStatusCode() == 412) {
        throw new PublishException(ExitCodes.CANT_CREATE, "blob '" + blobName + "' already exists in container '"
            + container + "'; publish a new --version, or pass --overwrite to replace it", e);
      }
      int code = e.getStatusCode() == 401 || e.getStatusCode() == 403 ? ExitCodes.CONFIG : ExitCodes.UNAVAILABLE;
      throw new PublishException(code, "uploading blob '" + blobName + "' to container '" + container + "': "
          + "the storage account answered " + e.getStatusCode() + " " + e.getErrorCode() + " (check " + option
          + "): " + firstLine(e.getServiceMessage()), e);
    } catch (RuntimeException e) {
      throw new PublishException(ExitCodes.UNAVAILABLE, "uploading blob '" + blobName + "' to "
          + blob.getBlobUrl() + ": " + e, e);
    }
    return readOnlyUrl(container, blobName, sasExpiry);
  }

  /**
   * A read-only SAS URL of the blob that expires {@code sasExpiry} from now (whole seconds), signed locally with
   * the account key: no request is made. HTTPS only, unless the endpoint is plain http (Azurite, tests).
   */
  public Uploaded readOnlyUrl(String container, String blobName, Duration sasExpiry) {
    BlobClient blob = service.getBlobContainerClient(container).getBlobClient(blobName);
    OffsetDateTime expiresOn = OffsetDateTime.now(ZoneOffset.UTC).plus(sasExpiry).truncatedTo(ChronoUnit.SECONDS);
    boolean https = blob.getBlobUrl().startsWith("https:");
    BlobServiceSasSignatureValues values =
        new BlobServiceSasSignatureValues(expiresOn, new BlobSasPermission().setReadPermission(true))
            .setProtocol(https ? SasProtocol.HTTPS_ONLY : SasProtocol.HTTPS_HTTP);
    return new Uploaded(URI.create(blob.getBlobUrl() + "?" + blob.generateSas(values)), expiresOn);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
