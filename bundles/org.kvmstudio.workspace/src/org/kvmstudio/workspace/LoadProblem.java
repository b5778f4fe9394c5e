package org.kvmstudio.workspace;

import java.nio.file.Path;

/**
 * A workspace file that could not be loaded when the workspace was opened. It was not deleted:
 * it was moved aside to {@code keptAs} so the person can repair or discard it.
 *
 * @param original where the file was
 * @param keptAs   where it is now, under the workspace's {@code corrupt/} folder
 * @param reason   why it could not be loaded
 */
public record LoadProblem(Path original, Path keptAs, String reason) {
}
