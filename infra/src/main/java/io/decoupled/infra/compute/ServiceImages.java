package io.decoupled.infra.compute;

import io.decoupled.infra.Service;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.IgnoreMode;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.ContainerImage;

/** Where each service's container image comes from. */
@FunctionalInterface
public interface ServiceImages {

    ContainerImage imageOf(Service service);

    /**
     * Built by {@code cdk deploy} from the repository's root Dockerfile ({@code --build-arg MODULE=...}) and
     * pushed to the bootstrap ECR repository. The context leaves out build output and dependencies, which
     * also keeps the asset hash stable: only a source change produces a new image.
     */
    static ServiceImages fromRepository(Path repositoryRoot) {
        return service -> ContainerImage.fromAsset(
                repositoryRoot.toString(),
                AssetImageProps.builder()
                        .file("Dockerfile")
                        .buildArgs(Map.of("MODULE", service.module()))
                        .platform(Platform.LINUX_AMD64)
                        .ignoreMode(IgnoreMode.DOCKER)
                        .exclude(List.of(
                                ".git",
                                "**/target",
                                "**/node_modules",
                                "**/cdk.out",
                                "**/.idea",
                                "**/.vscode",
                                "**/*.iml",
                                "docs",
                                "shared"))
                        .build());
    }
}
