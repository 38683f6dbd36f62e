package io.edgeai4j.cli.model;

import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edge model keygen}: a signing key pair for model releases. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Writes a key pair for signing model releases: signing-key.pem (PKCS#8, keep it secret; owner-only"
        + " permissions where the file system has them) and signing-key.pub.pem (X.509, for the model-update module's"
        + " configuration). Refuses to overwrite either file."})
public final class KeygenCommand implements Callable<Integer> {
  /** The private key's file name. */
  public static final String PRIVATE_KEY_FILE = "signing-key.pem";
  /** The public key's file name. */
  public static final String PUBLIC_KEY_FILE = "signing-key.pub.pem";

  /** The key algorithms; picocli reads them case-insensitively. */
  enum Algorithm {
    ED25519("Ed25519"),
    P256("EC");

    final String jca;

    Algorithm(String jca) {
      this.jca = jca;
    }
  }

  @Spec CommandSpec spec;

  @Option(names = "--algorithm", defaultValue = "ed25519", paramLabel = "ed25519|p256",
      description = "Ed25519, or ECDSA on P-256 (SHA256withECDSA). Default: ${DEFAULT-VALUE}.")
  Algorithm algorithm;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "The directory for the two files (created when missing).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Path privateFile = out.resolve(PRIVATE_KEY_FILE);
    Path publicFile = out.resolve(PUBLIC_KEY_FILE);
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (Files.exists(file)) {
        err.println("edge model keygen: --out: '" + file + "' exists; refusing to overwrite a key (move it away or"
            + " choose another directory)");
        return ExitCodes.CANT_CREATE;
      }
    }
    KeyPair pair = ReleaseSignatures.generate(algorithm.jca);
    try {
      Files.createDirectories(out);
      writeNew(privateFile, ReleaseSignatures.toPem(pair.getPrivate()), true);
      try {
        writeNew(publicFile, ReleaseSignatures.toPem(pair.getPublic()), false);
      } catch (IOException e) {
        Files.deleteIfExists(privateFile);
        throw e;
      }
    } catch (FileAlreadyExistsException e) {
      err.println("edge model keygen: --out: '" + e.getFile() + "' appeared while writing; refusing to overwrite it");
      return ExitCodes.CANT_CREATE;
    } catch (IOException e) {
      err.println("edge model keygen: --out: cannot write to '" + out + "': " + e);
      return ExitCodes.CANT_CREATE;
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println("private key: " + privateFile + " (" + algorithm.jca + ", PKCS#8; pass it to edge model publish"
        + " --signing-key)");
    o.println("public key:  " + publicFile + " (X.509; configure it on the model-update module)");
    return ExitCodes.OK;
  }

  /** Creates {@code file} (never replacing one), owner-only when {@code secret} and POSIX permissions exist. */
  private static void writeNew(Path file, String text, boolean secret) throws IOException {
    if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    } else {
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    }
  }
}
